"""domain/chains/handlers/common.py without a database: finding a chain, who may write it on a day, and
the state its gap events are diffed from."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.chains.handlers.common import chief_on, get_chain, load_state, writable_chain
from domain.cultivation.enterprises import EnterpriseStatus
from domain.shared.errors import Forbidden, NotFound
from tests.unit.handlers.chains.conftest import (
    ADMIN,
    GENERAL_CHIEF,
    LI,
    TODAY,
    VIEWER,
    WANG,
    given_chain,
    given_chief,
    given_enterprise,
    given_link,
    given_node,
)

YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


async def test_an_unknown_chain_is_not_found_before_any_right_is_asked(uow):
    assert await get_chain(given_chain(uow).id, uow=uow)
    with pytest.raises(NotFound):
        await get_chain("nope", uow=uow)
    with pytest.raises(NotFound):
        await writable_chain("nope", principal=VIEWER, uow=uow, today=TODAY)


async def test_admins_and_the_general_chief_write_every_chain_viewers_none(uow):
    chain = given_chain(uow)
    for principal in (ADMIN, GENERAL_CHIEF):
        assert await writable_chain(chain.id, principal=principal, uow=uow, today=TODAY) is chain
    with pytest.raises(Forbidden):
        await writable_chain(chain.id, principal=VIEWER, uow=uow, today=TODAY)


async def test_a_chiefs_right_comes_from_the_assignment_covering_the_day(uow):
    chain = given_chain(uow)
    given_chief(uow, chain, LI, YESTERDAY - timedelta(days=30), until=TODAY)
    given_chief(uow, chain, WANG, TODAY)
    assert (await chief_on(chain.id, uow=uow, today=YESTERDAY)).user_id == LI.id
    assert await writable_chain(chain.id, principal=LI, uow=uow, today=YESTERDAY) is chain
    with pytest.raises(Forbidden):  # 李's term ended today
        await writable_chain(chain.id, principal=LI, uow=uow, today=TODAY)
    with pytest.raises(Forbidden):  # 王 is not in office yet
        await writable_chain(chain.id, principal=WANG, uow=uow, today=YESTERDAY)
    assert await writable_chain(chain.id, principal=WANG, uow=uow, today=TODAY) is chain


async def test_a_chief_of_another_chain_or_the_general_chiefs_assignment_gives_no_right(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    given_chief(uow, other, LI, YESTERDAY)
    given_chief(uow, None, WANG, YESTERDAY)  # named general chief, yet holding only the chain_chief role
    assert await chief_on(chain.id, uow=uow, today=TODAY) is None
    for principal in (LI, WANG):
        with pytest.raises(Forbidden):
            await writable_chain(chain.id, principal=principal, uow=uow, today=TODAY)


async def test_the_state_holds_the_chains_own_tree_links_and_enterprise_facts(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    root = given_node(uow, chain, "锂离子电池")
    leaf = given_node(uow, chain, "电芯", parent=root)
    sodium = given_node(uow, chain, "钠离子电池")
    foreign = given_node(uow, other, "制备")
    jiuyi = given_enterprise(uow, "九夷锂能", cluster="新能源产业组团")
    gone = given_enterprise(uow, "星空钠电", status=EnterpriseStatus.MOVED_OUT)
    given_enterprise(uow, "无关企业")
    given_link(uow, leaf, jiuyi)
    given_link(uow, sodium, gone)
    given_link(uow, foreign, jiuyi)
    state = await load_state(chain, uow=uow)
    assert [n.id for n in state.nodes] == [root.id, leaf.id, sodium.id]
    assert sorted(link.node_id for link in state.links) == sorted([leaf.id, sodium.id])
    assert {f.id: (f.name, f.cluster, f.active) for f in state.facts.values()} == {
        jiuyi.id: ("九夷锂能", "新能源产业组团", True),
        gone.id: ("星空钠电", None, False),
    }
    report = state.gaps()
    assert (
        report.gap_ids == (sodium.id,) and report.coverage == 0.5
    )  # an enterprise that moved out covers nothing
    assert state.node(leaf.id) is leaf
    with pytest.raises(NotFound):
        state.node(foreign.id)


async def test_the_state_records_what_changed_on_the_chain(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "锂离子电池")
    state = await load_state(chain, uow=uow)
    before = state.gaps()
    state.nodes.remove(node)
    state.record_gap_changes(before)
    [event] = chain.pull_events()
    assert (event.type, event.subject_id, event.data) == (
        "chain.node_gap_closed",
        chain.id,
        {"chain_id": chain.id, "node_id": node.id, "node_removed": True},
    )
