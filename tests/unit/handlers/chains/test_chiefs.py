"""domain/chains/handlers/chiefs.py without a database: who is chief on a day, and assigning one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.chains.handlers import chiefs
from domain.shared.errors import ChiefOverlap, InvalidValue, NotFound
from tests.unit.handlers.chains.conftest import (
    ADMIN,
    GENERAL_CHIEF,
    LI,
    TODAY,
    WANG,
    given_chain,
    given_chief,
    given_user,
)

JAN = date(2024, 1, 1)


class Refused(Exception):
    """What a test's expectation raises: the If-Match did not match."""


def refuse(_current):
    raise Refused


async def test_the_chief_on_a_day_is_the_assignment_covering_it(uow):
    chain = given_chain(uow)
    first = given_chief(uow, chain, LI, JAN, until=TODAY)
    second = given_chief(uow, chain, WANG, TODAY)
    assert await chiefs.current_chief(chain.id, uow=uow, today=TODAY - timedelta(days=1)) is first
    assert await chiefs.current_chief(chain.id, uow=uow, today=TODAY) is second


async def test_no_chief_and_no_chain_are_not_found(uow):
    chain = given_chain(uow)
    given_chief(uow, chain, LI, TODAY + timedelta(days=1))  # not in office yet
    with pytest.raises(NotFound):
        await chiefs.current_chief(chain.id, uow=uow, today=TODAY)
    with pytest.raises(NotFound):
        await chiefs.current_chief("nope", uow=uow, today=TODAY)
    with pytest.raises(NotFound):
        await chiefs.current_general_chief(uow=uow, today=TODAY)


async def test_the_general_chief_is_the_assignment_without_a_chain(uow):
    given_chief(uow, given_chain(uow), LI, JAN)
    named = given_chief(uow, None, GENERAL_CHIEF, JAN)
    assert await chiefs.current_general_chief(uow=uow, today=TODAY) is named


async def test_assigning_ends_the_current_chief_and_publishes_the_handover(uow):
    chain = given_chain(uow)
    given_user(uow, WANG)
    current = given_chief(uow, chain, LI, JAN)
    seen = []
    new = await chiefs.assign_chain_chief(
        chain.id, WANG.id, TODAY, uow=uow, assigned_by="root", today=TODAY, expect=seen.append
    )
    assert seen == [current]  # If-Match is checked against the chief in office today
    assert (current.until, new.since, new.until, new.assigned_by) == (TODAY, TODAY, None, "root")
    assert uow.chief_assignments.items[new.id] is new and uow.commits == 1
    [event] = uow.published
    assert (event.type, event.subject_type, event.subject_id) == ("chain.chief_assigned", "chain", chain.id)
    assert event.data == {
        "chain_id": chain.id,
        "user_id": WANG.id,
        "since": TODAY.isoformat(),
        "previous_user_id": LI.id,
    }


async def test_with_nobody_in_office_the_expectation_is_asked_about_nothing(uow):
    chain = given_chain(uow)
    given_user(uow, LI)
    seen = []
    await chiefs.assign_chain_chief(
        chain.id, LI.id, JAN, uow=uow, assigned_by="root", today=TODAY, expect=seen.append
    )
    assert seen == [None] and uow.commits == 1


async def test_assigning_the_chief_in_office_again_changes_nothing(uow):
    chain = given_chain(uow)
    given_user(uow, LI)
    current = given_chief(uow, chain, LI, JAN)
    again = await chiefs.assign_chain_chief(chain.id, LI.id, TODAY, uow=uow, assigned_by="root", today=TODAY)
    assert again is current and current.until is None
    assert uow.commits == 0 and uow.published == [] and len(uow.chief_assignments.items) == 1


async def test_refusals_leave_the_history_as_it_was(uow):
    chain = given_chain(uow)
    given_user(uow, WANG)
    given_user(uow, GENERAL_CHIEF, active=False)
    current = given_chief(uow, chain, LI, TODAY)
    cases = [
        (dict(chain_id="nope", user_id=WANG.id, since=TODAY), NotFound),
        (dict(chain_id=chain.id, user_id="nobody", since=TODAY), InvalidValue),
        (dict(chain_id=chain.id, user_id=GENERAL_CHIEF.id, since=TODAY), InvalidValue),  # not active
        (dict(chain_id=chain.id, user_id=WANG.id, since=JAN), ChiefOverlap),  # before the current one's
    ]
    for command, refusal in cases:
        with pytest.raises(refusal):
            await chiefs.assign_chain_chief(**command, uow=uow, assigned_by="root", today=TODAY)
    with pytest.raises(Refused):
        await chiefs.assign_chain_chief(
            chain.id, WANG.id, TODAY, uow=uow, assigned_by="root", today=TODAY, expect=refuse
        )
    assert list(uow.chief_assignments.items.values()) == [current] and current.until is None
    assert uow.commits == 0 and uow.published == []


async def test_an_unknown_user_names_the_field(uow):
    chain = given_chain(uow)
    with pytest.raises(InvalidValue) as refused:
        await chiefs.assign_chain_chief(chain.id, "nobody", TODAY, uow=uow, assigned_by="root", today=TODAY)
    assert refused.value.field == "user_id"


async def test_a_same_day_correction_leaves_an_empty_term_in_the_history(uow):
    chain = given_chain(uow)
    given_user(uow, WANG)
    mistaken = given_chief(uow, chain, LI, TODAY)
    corrected = await chiefs.assign_chain_chief(
        chain.id, WANG.id, TODAY, uow=uow, assigned_by="root", today=TODAY
    )
    assert (mistaken.since, mistaken.until) == (TODAY, TODAY)
    assert await chiefs.current_chief(chain.id, uow=uow, today=TODAY) is corrected


async def test_the_general_chief_is_named_with_the_same_rules(uow):
    given_user(uow, GENERAL_CHIEF)
    given_user(uow, ADMIN)
    first = await chiefs.assign_general_chief(GENERAL_CHIEF.id, JAN, uow=uow, assigned_by="root", today=TODAY)
    with pytest.raises(ChiefOverlap):
        await chiefs.assign_general_chief(
            ADMIN.id, JAN - timedelta(days=1), uow=uow, assigned_by="root", today=TODAY
        )
    seen = []
    second = await chiefs.assign_general_chief(
        ADMIN.id, TODAY, uow=uow, assigned_by="root", today=TODAY, expect=seen.append
    )
    assert seen == [first] and first.until == TODAY and second.chain_id is None
    assert uow.commits == 2
    assert [(e.subject_type, e.subject_id, e.data["previous_user_id"]) for e in uow.published] == [
        ("general_chief", first.id, None),
        ("general_chief", second.id, GENERAL_CHIEF.id),
    ]


async def test_the_history_is_a_keyset_page_of_the_chains_assignments(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    mine = [given_chief(uow, chain, LI, JAN, until=TODAY), given_chief(uow, chain, WANG, TODAY)]
    given_chief(uow, other, LI, JAN)
    given_chief(uow, None, GENERAL_CHIEF, JAN)
    page = await chiefs.chief_history(chain.id, after=None, limit=5, uow=uow)
    assert sorted(a.id for a in page) == sorted(a.id for a in mine)
    with pytest.raises(NotFound):
        await chiefs.chief_history("nope", after=None, limit=5, uow=uow)


async def test_the_expectation_is_about_todays_chief_even_for_a_handover_to_come(uow):
    chain = given_chain(uow)
    given_user(uow, GENERAL_CHIEF)
    today_s = given_chief(uow, chain, LI, JAN, until=TODAY + timedelta(days=1))
    given_chief(uow, chain, WANG, TODAY + timedelta(days=1))  # already named from tomorrow
    seen = []
    await chiefs.assign_chain_chief(
        chain.id,
        GENERAL_CHIEF.id,
        TODAY + timedelta(days=5),
        uow=uow,
        assigned_by="root",
        today=TODAY,
        expect=seen.append,
    )
    assert seen == [today_s] and uow.commits == 1
