"""domain/chains/handlers/chains.py without a database: listing, creating and revising a chain."""

from __future__ import annotations

import pytest

from domain.chains.handlers import chains
from domain.shared.errors import Duplicate, Forbidden, InvalidValue, NotFound
from tests.unit.handlers.chains.conftest import (
    ADMIN,
    LI,
    TODAY,
    VIEWER,
    given_chain,
    given_chief,
    given_enterprise,
)


class Refused(Exception):
    """What a test's expectation raises: the If-Match did not match."""


async def test_a_chain_is_created_with_its_registered_leader_and_committed(uow):
    jiuyi = given_enterprise(uow, "九夷锂能")
    data = {"name": "储能电池", "code": "energy_storage", "group": "新能源", "leader_enterprise_id": jiuyi.id}
    chain = await chains.create_chain(data, uow=uow)
    assert uow.chains.items == {chain.id: chain}
    assert (chain.name, chain.code, chain.group, chain.leader_enterprise_id) == (
        "储能电池",
        "energy_storage",
        "新能源",
        jiuyi.id,
    )
    assert uow.commits == 1 and uow.published == []  # a new chain is no event of the catalogue


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        ({"name": "储能电池"}, Duplicate),
        ({"name": "储能", "code": "energy_storage"}, Duplicate),
        ({"name": "太阳能应用", "leader_enterprise_id": "nope"}, InvalidValue),
        ({"name": "  "}, InvalidValue),
    ],
    ids=["same-name", "same-code", "unknown-leader", "blank-name"],
)
async def test_a_refused_chain_is_not_written(uow, data, refusal):
    existing = given_chain(uow, "储能电池", code="energy_storage")
    with pytest.raises(refusal):
        await chains.create_chain(data, uow=uow)
    assert list(uow.chains.items) == [existing.id] and uow.commits == 0


async def test_an_unknown_leader_names_its_field(uow):
    with pytest.raises(InvalidValue) as refused:
        await chains.create_chain({"name": "太阳能应用", "leader_enterprise_id": "nope"}, uow=uow)
    assert refused.value.field == "leader_enterprise_id"


async def test_update_changes_the_fields_given_and_keeps_the_others(uow):
    chain = given_chain(uow, "储能电池", group="新能源", description="锂电")
    seen = []
    updated = await chains.update_chain(
        chain.id,
        {"description": None, "code": "storage"},
        principal=ADMIN,
        uow=uow,
        today=TODAY,
        expect=seen.append,
    )
    assert updated is chain and seen == [chain]  # the expectation was asked about the chain loaded
    assert (chain.name, chain.group, chain.description, chain.code) == ("储能电池", "新能源", None, "storage")
    assert uow.commits == 1


async def test_update_may_keep_its_own_name_but_not_take_another_chains(uow):
    chain = given_chain(uow, "储能电池", code="storage")
    given_chain(uow, "氢能源应用", code="hydrogen")
    await chains.update_chain(chain.id, {"name": "储能电池"}, principal=ADMIN, uow=uow, today=TODAY)
    assert uow.commits == 1
    for clash in ({"name": "氢能源应用"}, {"code": "hydrogen"}):
        with pytest.raises(Duplicate):
            await chains.update_chain(chain.id, clash, principal=ADMIN, uow=uow, today=TODAY)
    assert uow.commits == 1


async def test_update_checks_a_new_leader(uow):
    chain = given_chain(uow)
    with pytest.raises(InvalidValue) as refused:
        await chains.update_chain(
            chain.id, {"leader_enterprise_id": "nope"}, principal=ADMIN, uow=uow, today=TODAY
        )
    assert refused.value.field == "leader_enterprise_id" and uow.commits == 0


async def test_update_refuses_in_order_unknown_then_forbidden_then_unexpected_version(uow):
    chain = given_chain(uow)

    def stale(_current):
        raise Refused

    with pytest.raises(NotFound):
        await chains.update_chain(
            "nope", {"group": "X"}, principal=VIEWER, uow=uow, today=TODAY, expect=stale
        )
    with pytest.raises(Forbidden):
        await chains.update_chain(
            chain.id, {"group": "X"}, principal=VIEWER, uow=uow, today=TODAY, expect=stale
        )
    with pytest.raises(Refused):
        await chains.update_chain(
            chain.id, {"group": "X"}, principal=ADMIN, uow=uow, today=TODAY, expect=stale
        )
    assert chain.group is None and uow.commits == 0  # the expectation refuses before anything changes


async def test_a_chief_updates_the_chain_they_lead_today_only(uow):
    mine, theirs = given_chain(uow, "储能电池"), given_chain(uow, "氢能源应用")
    given_chief(uow, mine, LI, TODAY)
    await chains.update_chain(mine.id, {"group": "新能源"}, principal=LI, uow=uow, today=TODAY)
    with pytest.raises(Forbidden):
        await chains.update_chain(theirs.id, {"group": "新能源"}, principal=LI, uow=uow, today=TODAY)
    assert (mine.group, theirs.group, uow.commits) == ("新能源", None, 1)


async def test_the_list_is_a_keyset_page_of_one_group(uow):
    digital = [given_chain(uow, name, group="数字经济") for name in ("半导体", "物联网", "新型显示")]
    given_chain(uow, "储能电池", group="新能源")
    ordered = sorted(digital, key=lambda c: c.id)
    first = await chains.list_chains("数字经济", after=None, limit=2, uow=uow)
    assert first == ordered  # limit + 1: the caller learns that another page exists
    rest = await chains.list_chains("数字经济", after=ordered[1].id, limit=2, uow=uow)
    assert rest == ordered[2:]
    assert len(await chains.list_chains(None, after=None, limit=10, uow=uow)) == 4
