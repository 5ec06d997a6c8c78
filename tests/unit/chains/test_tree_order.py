from domain.chains.nodes import Node, tree_order

CHAIN = "energy_storage"


def node(name, stage, parent=None):
    return Node(chain_id=CHAIN, name=name, stage=stage, parent_id=parent.id if parent else None)


def names(nodes):
    return [n.name for n in nodes]


def test_parents_come_before_children_and_siblings_go_upstream_to_downstream():
    service = node("技术服务", "downstream")
    cell = node("电芯", "midstream")
    materials = node("正负极材料", "upstream")
    anode = node("负极材料", "upstream", materials)
    cathode = node("正极材料", "upstream", materials)
    lithium = node("锂离子电池", "midstream")
    # Given children first and stages mixed, as ids minted in one millisecond may sort.
    given = [anode, service, cell, cathode, materials, lithium]
    assert names(tree_order(given)) == [
        "正负极材料",
        "负极材料",
        "正极材料",
        "电芯",
        "锂离子电池",
        "技术服务",
    ]


def test_a_node_whose_parent_is_missing_is_a_root_and_a_cycle_still_shows_every_node():
    outside = node("制备", "upstream")
    orphan = node("工业副产氢", "upstream", outside)
    a = node("甲", "midstream")
    b = node("乙", "midstream", a)
    a.parent_id = b.id  # a broken import: a ↔ b
    ordered = tree_order([a, b, orphan])
    assert names(ordered) == ["工业副产氢", "甲", "乙"]
    assert tree_order([]) == []
