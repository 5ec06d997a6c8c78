import pytest

from domain.chains.maps import (
    ApplicationField,
    ClusterCount,
    EnterpriseFact,
    MapEnterprise,
    application_fields,
    chain_map,
    cluster_distribution,
    technology_roadmap,
)
from domain.chains.nodes import Node, NodeLink, NodeLinkRole, Stage

CHAIN = "ess"


def node(name, stage, parent=None):
    return Node(chain_id=CHAIN, name=name, stage=stage, parent_id=parent, id=name)


@pytest.fixture
def nodes():
    """储能电池: 材料 (正极材料, 负极材料) → 电芯 → 应用 (储能系统, 电动汽车充电)."""
    return [
        node("应用", "downstream"),
        node("材料", "upstream"),
        node("正极材料", "upstream", "材料"),
        node("负极材料", "upstream", "材料"),
        node("电芯", "midstream"),
        node("储能系统", "downstream", "应用"),
        node("电动汽车充电", "downstream", "应用"),
    ]


@pytest.fixture
def links():
    return [
        NodeLink(node_id="负极材料", enterprise_id="betterray", role="supporting"),
        NodeLink(node_id="负极材料", enterprise_id="rexin", role="leader"),
        NodeLink(node_id="电芯", enterprise_id="jiuyi", role="leader"),
        NodeLink(node_id="电芯", enterprise_id="xingkong", role="supporting"),
        NodeLink(node_id="储能系统", enterprise_id="gone", role="supporting"),
        NodeLink(node_id="elsewhere", enterprise_id="other-chain", role="leader"),
    ]


@pytest.fixture
def facts():
    return [
        EnterpriseFact("betterray", "贝特瑞", "新能源产业组团"),
        EnterpriseFact("rexin", "热能院", None),
        EnterpriseFact("jiuyi", "九夷锂能", "新能源产业组团"),
        EnterpriseFact("xingkong", "星空钠电", "能源与装备产业组团"),
        EnterpriseFact("gone", "迁出企业", "高新科创城", active=False),
        EnterpriseFact("other-chain", "别链企业", "高新科创城"),
    ]


def test_chain_map_nodes_gaps_and_coverage(nodes, links, facts):
    result = chain_map(nodes, links, facts)
    # Leaves: 正极材料, 负极材料, 电芯, 储能系统, 电动汽车充电; covered: 负极材料, 电芯.
    assert result.coverage == 0.4
    assert result.gaps == ("正极材料", "储能系统", "电动汽车充电")
    assert [(n.id, n.stage, n.parent_id, n.gap) for n in result.nodes] == [
        ("应用", Stage.DOWNSTREAM, None, False),
        ("材料", Stage.UPSTREAM, None, False),
        ("正极材料", Stage.UPSTREAM, "材料", True),
        ("负极材料", Stage.UPSTREAM, "材料", False),
        ("电芯", Stage.MIDSTREAM, None, False),
        ("储能系统", Stage.DOWNSTREAM, "应用", True),
        ("电动汽车充电", Stage.DOWNSTREAM, "应用", True),
    ]


def test_chain_map_lists_enterprises_leaders_first_with_cluster_and_shows_inactive_ones(nodes, links, facts):
    by_id = {n.id: n for n in chain_map(nodes, links, facts).nodes}
    assert by_id["负极材料"].enterprises == (
        MapEnterprise("rexin", "热能院", NodeLinkRole.LEADER, None, True),
        MapEnterprise("betterray", "贝特瑞", NodeLinkRole.SUPPORTING, "新能源产业组团", True),
    )
    assert by_id["储能系统"].enterprises == (
        MapEnterprise("gone", "迁出企业", NodeLinkRole.SUPPORTING, "高新科创城", False),
    )
    assert by_id["储能系统"].gap
    assert by_id["正极材料"].enterprises == ()


def test_chain_map_of_an_empty_chain():
    result = chain_map([], [], [])
    assert (result.coverage, result.gaps, result.nodes) == (0.0, (), ())


def test_technology_roadmap_groups_by_stage_in_order_with_depth(nodes):
    roadmap = technology_roadmap(nodes)
    assert [column.stage for column in roadmap] == [Stage.UPSTREAM, Stage.MIDSTREAM, Stage.DOWNSTREAM]
    assert [[(n.id, n.depth) for n in column.nodes] for column in roadmap] == [
        [("材料", 0), ("正极材料", 1), ("负极材料", 1)],
        [("电芯", 0)],
        [("应用", 0), ("储能系统", 1), ("电动汽车充电", 1)],
    ]


def test_technology_roadmap_keeps_empty_stages_and_counts_deep_trees():
    deep = [node("a", "upstream"), node("b", "upstream", "a"), node("c", "upstream", "b")]
    roadmap = technology_roadmap(deep)
    assert [(n.id, n.depth, n.parent_id) for n in roadmap[0].nodes] == [
        ("a", 0, None),
        ("b", 1, "a"),
        ("c", 2, "b"),
    ]
    assert roadmap[1].nodes == roadmap[2].nodes == ()


def test_technology_roadmap_survives_a_broken_cycle():
    broken = [node("a", "upstream", "b"), node("b", "upstream", "a")]
    assert sorted(n.id for n in technology_roadmap(broken)[0].nodes) == ["a", "b"]


def test_application_fields_are_the_downstream_leaves(nodes, links, facts):
    assert application_fields(nodes, links, facts) == (
        ApplicationField(
            "储能系统",
            "储能系统",
            True,
            (MapEnterprise("gone", "迁出企业", NodeLinkRole.SUPPORTING, "高新科创城", False),),
        ),
        ApplicationField("电动汽车充电", "电动汽车充电", True, ()),
    )


def test_cluster_distribution_counts_active_chain_enterprises_once_unknown_last(nodes, links, facts):
    # jiuyi is linked twice: it still counts once.
    links = [*links, NodeLink(node_id="正极材料", enterprise_id="jiuyi", role="supporting")]
    assert cluster_distribution(nodes, links, facts) == (
        ClusterCount("新能源产业组团", "新能源产业组团", 2, ("betterray", "jiuyi")),
        ClusterCount("能源与装备产业组团", "能源与装备产业组团", 1, ("xingkong",)),
        ClusterCount(None, "未知", 1, ("rexin",)),
    )


def test_cluster_distribution_of_a_chain_without_enterprises_is_empty(nodes, facts):
    assert cluster_distribution(nodes, [], facts) == ()
