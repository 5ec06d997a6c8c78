import pytest

from domain.chains.nodes import (
    Node,
    NodeLink,
    NodeLinkRole,
    Stage,
    check_deletable,
    check_no_cycle,
    find_link,
    link_enterprise,
)
from domain.shared.errors import Duplicate, InvalidValue, NotDeletable, NotFound

CHAIN = "semis"


def tree():
    """衬底 → 同质外延 → 芯片设计 (a chain of three) and 封装 as a second root."""
    substrate = Node(chain_id=CHAIN, name="衬底", stage=Stage.UPSTREAM)
    epitaxy = Node.create(chain_id=CHAIN, name="同质外延", stage="upstream", parent=substrate)
    design = Node.create(chain_id=CHAIN, name="芯片设计", stage="midstream", parent=epitaxy)
    packaging = Node(chain_id=CHAIN, name="封装", stage=Stage.DOWNSTREAM)
    return substrate, epitaxy, design, packaging


def by_id(*nodes):
    return {n.id: n for n in nodes}


def test_create_under_a_parent_of_the_same_chain():
    substrate, epitaxy, *_ = tree()
    assert epitaxy.parent_id == substrate.id
    assert epitaxy.stage is Stage.UPSTREAM


def test_a_parent_in_another_chain_is_refused():
    foreign = Node(chain_id="batteries", name="电芯", stage="midstream")
    with pytest.raises(InvalidValue) as refused:
        Node.create(chain_id=CHAIN, name="测试", stage="downstream", parent=foreign)
    assert refused.value.field == "parent_id"


@pytest.mark.parametrize(
    ("name", "stage", "field"), [("  ", "upstream", "name"), ("制造", "sideways", "stage")]
)
def test_a_node_needs_a_name_and_a_known_stage(name, stage, field):
    with pytest.raises(InvalidValue) as refused:
        Node(chain_id=CHAIN, name=name, stage=stage)
    assert refused.value.field == field


def test_revise_changes_name_and_stage_and_keeps_the_rest():
    substrate, *_ = tree()
    substrate.revise(name=" 衬底材料 ")
    assert (substrate.name, substrate.stage) == ("衬底材料", Stage.UPSTREAM)
    substrate.revise(stage="midstream")
    assert (substrate.name, substrate.stage) == ("衬底材料", Stage.MIDSTREAM)


def test_self_parent_is_a_cycle():
    substrate, epitaxy, design, packaging = tree()
    with pytest.raises(InvalidValue) as refused:
        check_no_cycle(substrate.id, substrate.id, by_id(substrate, epitaxy, design, packaging))
    assert refused.value.field == "parent_id"


def test_two_cycle_is_refused():
    substrate, epitaxy, design, packaging = tree()
    nodes = by_id(substrate, epitaxy, design, packaging)
    with pytest.raises(InvalidValue):
        substrate.move_under(epitaxy, nodes)
    assert substrate.parent_id is None


def test_deep_cycle_is_refused():
    substrate, epitaxy, design, packaging = tree()
    nodes = by_id(substrate, epitaxy, design, packaging)
    with pytest.raises(InvalidValue):
        substrate.move_under(design, nodes)


def test_moving_elsewhere_in_the_tree_and_back_to_a_root():
    substrate, epitaxy, design, packaging = tree()
    nodes = by_id(substrate, epitaxy, design, packaging)
    design.move_under(packaging, nodes)
    assert design.parent_id == packaging.id
    packaging.move_under(substrate, nodes)  # its own child is not its ancestor
    assert packaging.parent_id == substrate.id
    epitaxy.move_under(None, nodes)
    assert epitaxy.parent_id is None


def test_moving_under_a_node_of_another_chain_is_refused():
    substrate, epitaxy, design, packaging = tree()
    foreign = Node(chain_id="batteries", name="电芯", stage="midstream")
    with pytest.raises(InvalidValue) as refused:
        design.move_under(foreign, by_id(substrate, epitaxy, design, packaging, foreign))
    assert refused.value.field == "parent_id"


def test_a_parent_unknown_to_the_chain_is_refused():
    substrate, *_ = tree()
    with pytest.raises(InvalidValue):
        check_no_cycle(substrate.id, "elsewhere", by_id(substrate))


def test_delete_refused_with_children():
    substrate, epitaxy, design, packaging = tree()
    with pytest.raises(NotDeletable) as refused:
        check_deletable(epitaxy.id, [substrate, epitaxy, design, packaging], [])
    assert refused.value.rule == "not-deletable"


def test_delete_refused_with_linked_enterprises():
    substrate, epitaxy, design, packaging = tree()
    links = [NodeLink(node_id=packaging.id, enterprise_id="e1", role="supporting")]
    with pytest.raises(NotDeletable):
        check_deletable(packaging.id, [substrate, epitaxy, design, packaging], links)


def test_a_leaf_without_links_can_be_deleted():
    substrate, epitaxy, design, packaging = tree()
    links = [NodeLink(node_id=design.id, enterprise_id="e1", role="leader")]
    check_deletable(packaging.id, [substrate, epitaxy, design, packaging], links)


def test_linking_twice_is_a_duplicate_whatever_the_role():
    link = link_enterprise([], "n1", "e1", "leader")
    assert link.role is NodeLinkRole.LEADER
    with pytest.raises(Duplicate):
        link_enterprise([link], "n1", "e1", NodeLinkRole.SUPPORTING)


def test_the_same_enterprise_may_link_to_another_node_and_another_enterprise_to_the_node():
    link = link_enterprise([], "n1", "e1", "leader")
    assert link_enterprise([link], "n2", "e1", "supporting").node_id == "n2"
    assert link_enterprise([link], "n1", "e2", "supporting").enterprise_id == "e2"


def test_an_unknown_role_is_refused():
    with pytest.raises(InvalidValue) as refused:
        link_enterprise([], "n1", "e1", "partner")
    assert refused.value.field == "role"


def test_find_link_for_unlinking():
    link = link_enterprise([], "n1", "e1", "leader")
    assert find_link([link], "n1", "e1") is link
    with pytest.raises(NotFound):
        find_link([link], "n1", "e2")
