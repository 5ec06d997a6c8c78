"""domain/chains/handlers/targets.py without a database: the stage machine, and production joining the
registry and the chain in one commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.chains.handlers import targets
from domain.shared.errors import Forbidden, IllegalTransition, InvalidValue, NotFound
from tests.unit.handlers.chains.conftest import (
    ADMIN,
    LI,
    TODAY,
    VIEWER,
    given_chain,
    given_chief,
    given_enterprise,
    given_link,
    given_node,
    given_target,
)

SPRING = date(2024, 3, 1)
SUMMER = date(2024, 7, 1)


class Refused(Exception):
    """What a test's expectation raises: the If-Match did not match."""


def refuse(_current):
    raise Refused


def stage_changes(uow) -> list[tuple[str | None, str, str]]:
    return [
        (e.data["from"], e.data["to"], e.data["date"])
        for e in uow.published
        if e.type == "target.stage_changed"
    ]


async def test_a_target_opens_at_lead_today_on_a_node_of_its_chain(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "新能源乘用车")
    data = {
        "company_name": "比亚迪",
        "node_id": node.id,
        "planned_investment": Decimal("150000.5"),
        "note": "谋划引进",
    }
    target = await targets.create_target(chain.id, data, principal=ADMIN, uow=uow, today=TODAY)
    assert (target.chain_id, target.node_id, target.stage, target.planned_investment, target.note) == (
        chain.id,
        node.id,
        "lead",
        Decimal("150000.5"),
        "谋划引进",
    )
    assert uow.targets.items == {target.id: target} and uow.commits == 1
    assert stage_changes(uow) == [(None, "lead", TODAY.isoformat())]
    assert uow.published[0].subject_id == target.id


async def test_a_target_met_before_opens_on_its_own_date(uow):
    chain = given_chain(uow)
    data = {"company_name": "比亚迪", "stage_date": date(2022, 5, 10)}
    target = await targets.create_target(chain.id, data, principal=ADMIN, uow=uow, today=TODAY)
    assert [(e.stage, e.date) for e in target.stage_history] == [("lead", date(2022, 5, 10))]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"company_name": "比亚迪", "node_id": "nope"}, "node_id"),
        ({"company_name": "比亚迪", "planned_investment": Decimal(-1)}, "planned_investment"),
        ({"company_name": " "}, "company_name"),
    ],
    ids=["unknown-node", "negative-investment", "no-name"],
)
async def test_an_invalid_target_is_not_written(uow, data, field):
    chain = given_chain(uow)
    with pytest.raises(InvalidValue) as refused:
        await targets.create_target(chain.id, data, principal=ADMIN, uow=uow, today=TODAY)
    assert refused.value.field == field
    assert uow.targets.items == {} and uow.commits == 0 and uow.published == []


async def test_a_node_of_another_chain_is_refused(uow):
    chain, other = given_chain(uow), given_chain(uow, "太阳能应用")
    foreign = given_node(uow, other, "边框")
    with pytest.raises(InvalidValue) as refused:
        await targets.create_target(
            chain.id, {"company_name": "比亚迪", "node_id": foreign.id}, principal=ADMIN, uow=uow, today=TODAY
        )
    assert refused.value.field == "node_id" and uow.targets.items == {} and uow.commits == 0


async def test_only_who_may_write_the_chain_courts_for_it(uow):
    chain = given_chain(uow)
    for principal in (LI, VIEWER):
        with pytest.raises(Forbidden):
            await targets.create_target(
                chain.id, {"company_name": "比亚迪"}, principal=principal, uow=uow, today=TODAY
            )
    given_chief(uow, chain, LI, TODAY)
    await targets.create_target(chain.id, {"company_name": "比亚迪"}, principal=LI, uow=uow, today=TODAY)
    assert len(uow.targets.items) == 1 and uow.commits == 1


async def test_update_changes_the_fields_given_and_the_node(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "新能源乘用车")
    target = given_target(uow, chain)
    seen = []
    updated = await targets.update_target(
        target.id,
        {"contact": "张经理", "planned_investment": Decimal("200000"), "node_id": node.id},
        principal=ADMIN,
        uow=uow,
        today=TODAY,
        expect=seen.append,
    )
    assert updated is target and seen == [target]
    assert (target.contact, target.planned_investment, target.node_id, target.company_name) == (
        "张经理",
        Decimal("200000"),
        node.id,
        "比亚迪",
    )
    assert uow.commits == 1 and uow.published == []  # no stage moved


async def test_update_refusals_change_nothing(uow):
    chain, other = given_chain(uow), given_chain(uow, "太阳能应用")
    foreign = given_node(uow, other, "边框")
    target = given_target(uow, chain)
    with pytest.raises(NotFound):
        await targets.update_target("nope", {"contact": "X"}, principal=ADMIN, uow=uow, today=TODAY)
    with pytest.raises(Forbidden):
        await targets.update_target(
            target.id, {"contact": "X"}, principal=LI, uow=uow, today=TODAY, expect=refuse
        )
    with pytest.raises(Refused):
        await targets.update_target(
            target.id, {"contact": "X"}, principal=ADMIN, uow=uow, today=TODAY, expect=refuse
        )
    with pytest.raises(InvalidValue):
        await targets.update_target(target.id, {"node_id": foreign.id}, principal=ADMIN, uow=uow, today=TODAY)
    assert (target.contact, target.node_id) == (None, None) and uow.commits == 0


async def test_stages_move_forward_skipping_allowed_and_a_final_stage_stays(uow):
    chain = given_chain(uow)
    target = given_target(uow, chain, on=date(2024, 1, 2))
    await targets.move_target(target.id, "signed", SPRING, "签约", principal=ADMIN, uow=uow, today=TODAY)
    refusals = [
        ("negotiating", SUMMER, IllegalTransition),  # backwards
        ("signed", SUMMER, IllegalTransition),  # the same stage
        ("under_construction", date(2024, 2, 1), InvalidValue),  # before the previous stage's date
        ("sideways", SUMMER, InvalidValue),
    ]
    for stage, on, refusal in refusals:
        with pytest.raises(refusal):
            await targets.move_target(target.id, stage, on, principal=ADMIN, uow=uow, today=TODAY)
    await targets.move_target(target.id, "dropped", SUMMER, principal=ADMIN, uow=uow, today=TODAY)
    with pytest.raises(IllegalTransition):
        await targets.move_target(target.id, "in_production", SUMMER, principal=ADMIN, uow=uow, today=TODAY)
    assert [(e.stage, e.note) for e in target.stage_history] == [
        ("lead", None),
        ("signed", "签约"),
        ("dropped", None),
    ]
    assert uow.commits == 2
    assert stage_changes(uow) == [
        ("lead", "signed", SPRING.isoformat()),
        ("signed", "dropped", SUMMER.isoformat()),
    ]


async def test_only_the_chains_chief_moves_its_targets(uow):
    chain = given_chain(uow)
    target = given_target(uow, chain)
    with pytest.raises(Forbidden):
        await targets.move_target(target.id, "negotiating", TODAY, principal=LI, uow=uow, today=TODAY)
    with pytest.raises(NotFound):
        await targets.move_target("nope", "negotiating", TODAY, principal=ADMIN, uow=uow, today=TODAY)
    given_chief(uow, chain, LI, TODAY)
    await targets.move_target(target.id, "negotiating", TODAY, principal=LI, uow=uow, today=TODAY)
    assert target.stage == "negotiating" and uow.commits == 1


async def test_in_production_registers_the_company_links_it_and_closes_the_gap_in_one_commit(uow):
    chain = given_chain(uow, "新能源汽车")
    node = given_node(uow, chain, "新能源乘用车")
    target = given_target(uow, chain, node=node)
    await targets.move_target(
        target.id, "in_production", SUMMER, "投产", principal=ADMIN, uow=uow, today=TODAY
    )
    [enterprise] = uow.enterprises.items.values()
    assert (enterprise.name, target.enterprise_id) == ("比亚迪", enterprise.id)
    [link] = uow.node_links.items.values()
    assert (link.node_id, link.enterprise_id, link.role) == (node.id, enterprise.id, "supporting")
    assert uow.flushes == 1  # the new enterprise is written before what refers to it
    assert uow.commits == 1
    assert sorted(uow.published_types()) == [
        "chain.node_gap_closed",
        "enterprise.registered",
        "target.stage_changed",
    ]
    closed = next(e for e in uow.published if e.type == "chain.node_gap_closed")
    assert closed.data == {"chain_id": chain.id, "node_id": node.id, "node_removed": False}


async def test_in_production_links_the_enterprise_registered_under_that_exact_name(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "钠离子电池")
    given_enterprise(uow, "星空钠电集团")  # a longer name is another enterprise
    xingkong = given_enterprise(uow, "星空钠电", cluster="新能源产业组团")
    target = given_target(uow, chain, "星空钠电", node=node)
    await targets.move_target(target.id, "in_production", SUMMER, principal=ADMIN, uow=uow, today=TODAY)
    assert target.enterprise_id == xingkong.id and len(uow.enterprises.items) == 2
    assert [link.enterprise_id for link in uow.node_links.items.values()] == [xingkong.id]
    assert "enterprise.registered" not in uow.published_types() and uow.flushes == 0


async def test_in_production_of_an_enterprise_already_linked_adds_no_second_link(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "钠离子电池")
    xingkong = given_enterprise(uow, "星空钠电")
    existing = given_link(uow, node, xingkong, "leader")
    target = given_target(uow, chain, "星空钠电", node=node)
    await targets.move_target(target.id, "in_production", SUMMER, principal=ADMIN, uow=uow, today=TODAY)
    assert list(uow.node_links.items.values()) == [existing] and existing.role == "leader"
    assert uow.published_types() == ["target.stage_changed"] and uow.commits == 1


async def test_in_production_without_a_node_registers_without_linking(uow):
    chain = given_chain(uow)
    target = given_target(uow, chain)
    await targets.move_target(target.id, "in_production", SUMMER, principal=ADMIN, uow=uow, today=TODAY)
    [enterprise] = uow.enterprises.items.values()
    assert target.enterprise_id == enterprise.id and uow.node_links.items == {}
    assert sorted(uow.published_types()) == ["enterprise.registered", "target.stage_changed"]


async def test_the_list_is_a_keyset_page_of_the_chains_targets_in_one_stage(uow):
    chain, other = given_chain(uow), given_chain(uow, "太阳能应用")
    leads = sorted((given_target(uow, chain, name) for name in ("比亚迪", "宁德时代")), key=lambda t: t.id)
    signed = given_target(uow, chain, "贝特瑞")
    signed.move_to("signed", TODAY)
    given_target(uow, other, "隆基")
    assert await targets.list_targets(chain.id, "lead", after=None, limit=5, uow=uow) == leads
    assert await targets.list_targets(chain.id, "signed", after=None, limit=5, uow=uow) == [signed]
    assert len(await targets.list_targets(chain.id, None, after=None, limit=5, uow=uow)) == 3
    with pytest.raises(NotFound):
        await targets.list_targets("nope", None, after=None, limit=5, uow=uow)
    assert await targets.get_target(signed.id, uow=uow) is signed
