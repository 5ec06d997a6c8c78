"""The park-brain dashboard without a database: every part on the one day it answers for."""

from __future__ import annotations

from datetime import date

from domain.integration.dashboard import dashboard
from domain.planning.tasks import TaskStatus
from tests.unit.handlers.chains.conftest import given_chain, given_enterprise, given_link, given_node
from tests.unit.handlers.chains.conftest import given_target as target_on
from tests.unit.handlers.planning.world import stored_task, world


def zone():
    """The 2021–2025 plan with a key task due at the end of 2024, and a chain with one target."""
    uow = world()
    stored_task(uow, "t-key", code="4", status=TaskStatus.IN_PROGRESS, due_date=date(2024, 12, 31))
    chain = given_chain(uow, "储能电池")
    given_link(uow, given_node(uow, chain, "锂离子电池"), given_enterprise(uow, "九夷锂能"))
    given_node(uow, chain, "隔膜", "upstream")
    signed = target_on(uow, chain, "贝特瑞", on=date(2024, 1, 2))
    signed.move_to("signed", date(2024, 9, 1))
    return uow


async def test_after_the_plans_end_the_dashboard_shows_its_last_year_on_the_day_asked():
    uow = zone()
    board = await dashboard(on=date(2026, 12, 6), today=date(2026, 12, 6), uow=uow)
    assert (board.as_of, board.plan.id, board.year) == (date(2026, 12, 6), "plan", 2025)
    [key] = board.evaluation.tasks
    assert (key.task.id, key.warning.value, key.overdue) == ("t-key", "red", True)  # due 2024, still open
    assert sum(board.escalations.values()) == 1
    [storage] = board.chains
    assert (storage.coverage, storage.gaps) == (0.5, 1)
    assert board.pipeline["signed"] == 0  # entered in 2024: the pipeline counts the year of the day asked
    assert uow.commits == 0  # a read


async def test_on_a_past_day_every_part_is_taken_that_day():
    uow = zone()
    board = await dashboard(on=date(2024, 10, 1), today=date(2026, 12, 6), uow=uow)
    assert board.year == 2024
    [key] = board.evaluation.tasks
    assert key.overdue is False  # not yet due on 1 October 2024
    assert board.pipeline["lead"] == 1 and board.pipeline["signed"] == 1
    before_signing = await dashboard(on=date(2024, 8, 31), today=date(2026, 12, 6), uow=uow)
    assert before_signing.pipeline["signed"] == 0


async def test_before_any_plan_the_dashboard_has_no_plan_part():
    board = await dashboard(on=date(2020, 6, 1), today=date(2026, 12, 6), uow=zone())
    assert (board.plan, board.year, board.evaluation, board.escalations) == (None, None, None, {})
