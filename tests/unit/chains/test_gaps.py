import pytest

from domain.chains.chains import Chain
from domain.chains.gaps import GapChanges, compute_gaps, gap_changes, leaf_ids
from domain.chains.nodes import Node, NodeLink

CHAIN = "batteries"


def node(name, parent=None, stage="midstream"):
    return Node(chain_id=CHAIN, name=name, stage=stage, parent_id=parent.id if parent else None, id=name)


def link(node_id, enterprise_id, role="supporting"):
    return NodeLink(node_id=node_id, enterprise_id=enterprise_id, role=role)


@pytest.fixture
def battery():
    """储能电池: 材料 (正负极材料, 隔膜, 电解液) and 电芯."""
    materials = node("材料", stage="upstream")
    return [
        materials,
        node("正负极材料", materials, "upstream"),
        node("隔膜", materials, "upstream"),
        node("电解液", materials, "upstream"),
        node("电芯"),
    ]


def test_leaves_are_the_nodes_without_children(battery):
    assert leaf_ids(battery) == ("正负极材料", "隔膜", "电解液", "电芯")


def test_a_leaf_linked_to_an_active_enterprise_is_covered(battery):
    report = compute_gaps(battery, [link("电芯", "jiuyi")], {"jiuyi"})
    assert report.gap_ids == ("正负极材料", "隔膜", "电解液")
    assert report.covered == 1
    assert report.coverage == 0.25


@pytest.mark.parametrize("active", [set(), {"someone-else"}])
def test_a_moved_out_enterprise_does_not_cover(battery, active):
    # jiuyi is linked but not active (moved_out or deregistered): the set of active ids lacks it.
    report = compute_gaps(battery, [link("电芯", "jiuyi")], active)
    assert "电芯" in report.gap_ids
    assert report.coverage == 0.0


def test_a_node_with_one_active_among_inactive_enterprises_is_covered(battery):
    links = [link("隔膜", "gone"), link("隔膜", "here")]
    assert "隔膜" not in compute_gaps(battery, links, {"here"}).gap_ids


def test_a_non_leaf_node_is_never_a_gap_and_its_links_cover_no_leaf(battery):
    report = compute_gaps(battery, [], set())
    assert "材料" not in report.gap_ids
    report = compute_gaps(battery, [link("材料", "betterray")], {"betterray"})
    assert report.gap_ids == ("正负极材料", "隔膜", "电解液", "电芯")
    assert report.coverage == 0.0


def test_coverage_without_nodes_or_leaves_is_zero():
    report = compute_gaps([], [], set())
    assert (report.leaf_ids, report.gap_ids, report.coverage) == ((), (), 0.0)


def test_full_coverage_is_one(battery):
    links = [link(leaf, f"e-{leaf}") for leaf in leaf_ids(battery)]
    report = compute_gaps(battery, links, {f"e-{leaf}" for leaf in leaf_ids(battery)})
    assert report.coverage == 1.0
    assert report.gap_ids == ()


@pytest.mark.parametrize(("covered", "leaves", "expected"), [(1, 3, 0.3333), (2, 3, 0.6667), (1, 7, 0.1429)])
def test_coverage_is_rounded_to_four_decimals(covered, leaves, expected):
    nodes = [node(f"n{i}") for i in range(leaves)]
    links = [link(f"n{i}", "e") for i in range(covered)]
    assert compute_gaps(nodes, links, {"e"}).coverage == expected


def test_links_of_other_chains_are_ignored(battery):
    report = compute_gaps(battery, [link("elsewhere", "jiuyi")], {"jiuyi"})
    assert report.covered == 0


def test_linking_closes_a_gap_and_unlinking_opens_it(battery):
    before = compute_gaps(battery, [], {"jiuyi"})
    after = compute_gaps(battery, [link("电芯", "jiuyi")], {"jiuyi"})
    assert gap_changes(before, after) == GapChanges(closed=("电芯",))
    assert gap_changes(after, before) == GapChanges(opened=("电芯",))


def test_an_enterprise_moving_out_opens_its_gap(battery):
    links = [link("电芯", "jiuyi")]
    changes = gap_changes(compute_gaps(battery, links, {"jiuyi"}), compute_gaps(battery, links, set()))
    assert changes.opened == ("电芯",)


def test_a_child_added_under_a_gap_moves_the_gap_down(battery):
    before = compute_gaps(battery, [], set())
    grown = [*battery, node("钠离子电芯", battery[4])]
    changes = gap_changes(before, compute_gaps(grown, [], set()))
    assert changes.opened == ("钠离子电芯",)
    assert changes.closed == ("电芯",)
    assert changes.removed == ()


def test_a_child_added_under_a_covered_leaf_opens_only_the_child(battery):
    links = [link("电芯", "jiuyi")]
    before = compute_gaps(battery, links, {"jiuyi"})
    after = compute_gaps([*battery, node("钠离子电芯", battery[4])], links, {"jiuyi"})
    assert gap_changes(before, after) == GapChanges(opened=("钠离子电芯",))


def test_deleting_a_gap_node_closes_it_as_removed(battery):
    before = compute_gaps(battery, [], set())
    after = compute_gaps([n for n in battery if n.id != "电解液"], [], set())
    changes = gap_changes(before, after)
    assert changes == GapChanges(closed=("电解液",), removed=("电解液",))


def test_no_change_is_falsy(battery):
    report = compute_gaps(battery, [], set())
    assert not gap_changes(report, report)


def test_the_chain_records_one_event_per_opened_and_closed_gap():
    chain = Chain(name="储能电池")
    chain.record_gap_changes(GapChanges(opened=("a",), closed=("b", "c"), removed=("c",)))
    events = chain.pull_events()
    assert [(e.type, e.subject_type, e.subject_id) for e in events] == [
        ("chain.node_gap_opened", "chain", chain.id),
        ("chain.node_gap_closed", "chain", chain.id),
        ("chain.node_gap_closed", "chain", chain.id),
    ]
    assert [e.data for e in events] == [
        {"chain_id": chain.id, "node_id": "a"},
        {"chain_id": chain.id, "node_id": "b", "node_removed": False},
        {"chain_id": chain.id, "node_id": "c", "node_removed": True},
    ]
