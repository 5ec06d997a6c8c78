"""domain/chains/handlers/views.py without a database: a chain's four maps and the statistics of chains."""

from __future__ import annotations

from datetime import date

import pytest

from domain.chains.handlers import views
from domain.cultivation.enterprises import EnterpriseStatus
from domain.shared.errors import NotFound
from tests.unit.handlers.chains.conftest import (
    given_chain,
    given_enterprise,
    given_link,
    given_node,
    given_target,
)

ZERO = dict.fromkeys(("lead", "negotiating", "signed", "under_construction", "in_production", "dropped"), 0)


async def test_the_maps_show_the_chains_tree_its_enterprises_and_its_gaps(uow):
    chain = given_chain(uow, "储能电池")
    materials = given_node(uow, chain, "正负极材料", "upstream")
    service = given_node(uow, chain, "技术服务", "downstream")
    anode = given_node(uow, chain, "负极材料", "upstream", parent=materials)
    lithium = given_node(uow, chain, "锂离子电池", "midstream")
    jiuyi = given_enterprise(uow, "九夷锂能", cluster="新能源产业组团")
    helper = given_enterprise(uow, "配套电池厂", cluster="新能源产业组团")
    given_link(uow, lithium, helper, "supporting")
    given_link(uow, lithium, jiuyi, "leader")
    given_link(uow, given_node(uow, given_chain(uow, "氢能源应用"), "制备"), helper)  # another chain's

    maps = await views.chain_maps(chain.id, uow=uow)
    assert maps.chain is chain
    # tree order: parents first, siblings upstream → downstream
    assert [n.name for n in maps.map.nodes] == ["正负极材料", "负极材料", "锂离子电池", "技术服务"]
    assert list(maps.map.gaps) == [anode.id, service.id] and maps.map.coverage == round(1 / 3, 4)
    by_name = {n.name: n for n in maps.map.nodes}
    assert [(e.name, e.role) for e in by_name["锂离子电池"].enterprises] == [
        ("九夷锂能", "leader"),
        ("配套电池厂", "supporting"),
    ]
    assert [(s.stage, [n.name for n in s.nodes]) for s in maps.technology_roadmap] == [
        ("upstream", ["正负极材料", "负极材料"]),
        ("midstream", ["锂离子电池"]),
        ("downstream", ["技术服务"]),
    ]
    assert [(f.name, f.gap) for f in maps.application_fields] == [("技术服务", True)]
    [cluster] = maps.cluster_distribution
    assert (cluster.cluster, cluster.count) == ("新能源产业组团", 2)


async def test_an_unknown_chain_has_no_maps(uow):
    with pytest.raises(NotFound):
        await views.chain_maps("nope", uow=uow)


async def test_stats_count_coverage_gaps_and_the_stages_entered_in_the_year(uow):
    storage, solar = given_chain(uow, "储能电池"), given_chain(uow, "太阳能应用")
    lithium = given_node(uow, storage, "锂离子电池")
    given_node(uow, storage, "隔膜", "upstream")
    sodium = given_node(uow, storage, "钠离子电池")
    given_link(uow, lithium, given_enterprise(uow, "九夷锂能"))
    given_link(uow, sodium, given_enterprise(uow, "星空钠电", status=EnterpriseStatus.MOVED_OUT))
    first = given_target(uow, storage, "贝特瑞", on=date(2024, 1, 2))
    first.move_to("negotiating", date(2024, 3, 1))
    first.move_to("signed", date(2024, 9, 1))
    second = given_target(uow, storage, "比克科技", on=date(2024, 1, 2))
    second.move_to("under_construction", date(2025, 5, 1))  # skipping is allowed

    in_2024 = {s.name: s for s in await views.chain_stats([storage, solar], year=2024, uow=uow)}
    assert (in_2024["储能电池"].chain_id, in_2024["储能电池"].coverage, in_2024["储能电池"].gaps) == (
        storage.id,
        round(1 / 3, 4),  # the moved-out enterprise covers nothing
        2,
    )
    assert in_2024["储能电池"].entered == ZERO | {"lead": 2, "negotiating": 1, "signed": 1}
    assert (in_2024["太阳能应用"].coverage, in_2024["太阳能应用"].gaps, in_2024["太阳能应用"].entered) == (
        0,
        0,
        ZERO,
    )
    [in_2025] = await views.chain_stats([storage], year=2025, uow=uow)
    assert in_2025.entered == ZERO | {"under_construction": 1}
    [until_summer] = await views.chain_stats([storage], year=2024, until=date(2024, 6, 30), uow=uow)
    assert until_summer.entered == ZERO | {"lead": 2, "negotiating": 1}
    assert await views.chain_stats([], year=2024, uow=uow) == []


async def test_the_stats_page_follows_the_chains_keyset(uow):
    chains = sorted(
        (given_chain(uow, name) for name in ("储能电池", "太阳能应用", "氢能源应用")), key=lambda c: c.id
    )
    first = await views.stats_page(2024, after=None, limit=2, uow=uow)
    assert [s.chain_id for s in first] == [c.id for c in chains]  # limit + 1: another page exists
    rest = await views.stats_page(2024, after=chains[1].id, limit=2, uow=uow)
    assert [s.chain_id for s in rest] == [chains[2].id]
