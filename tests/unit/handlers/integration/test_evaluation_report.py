"""The evaluation report's composition without a database: one evaluation, and what the report adds to it
(departments, extensions granted up to the day, figures by year, chains taken today)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.identity.accounts import Department
from domain.integration.evaluation_report import evaluation_report
from domain.planning.indicators import Indicator, Observation
from domain.planning.tasks import TaskStatus
from domain.planning.workflow import ExtensionRequest, ExtensionStatus
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.chains.conftest import given_chain, given_node
from tests.unit.handlers.planning.world import LEAD, OTHER, stored_task, world

TODAY = date(2026, 12, 6)


def ended_plan():
    uow = world()
    for department, name in ((LEAD, "科技局"), (OTHER, "经发局")):
        uow.departments.items[department] = Department(id=department, name=name)
    late = stored_task(
        uow,
        "t-late",
        code="4",
        status=TaskStatus.IN_PROGRESS,
        lead_department_id=OTHER,
        due_date=date(2025, 6, 30),
        original_due_date=date(2024, 12, 31),
    )
    stored_task(uow, "t-also-late", code="5", status=TaskStatus.IN_PROGRESS, due_date=date(2025, 3, 31))
    stored_task(
        uow,
        "t-unled",
        code="6",
        status=TaskStatus.IN_PROGRESS,
        lead_department_id=None,
        due_date=date(2025, 9, 30),
    )
    for decided, new_due in (
        (datetime(2024, 11, 20, tzinfo=UTC), date(2025, 6, 30)),
        (datetime(2026, 2, 1, tzinfo=UTC), date(2026, 6, 30)),
    ):
        request = ExtensionRequest(
            task_id=late.id,
            new_due_date=new_due,
            reason="审批顺延",
            status=ExtensionStatus.APPROVED,
            decided_at=decided,
        )
        uow.extension_requests.items[request.id] = request
    gdp = Indicator(
        id="ind-1",
        plan_id="plan",
        code=1,
        area="经济发展",
        name="地区生产总值",
        unit="亿元",
        baseline_value=Decimal(60),
        target_value=Decimal(95),
    )
    uow.indicators.items[gdp.id] = gdp
    for year, value in ((2021, "66"), (2025, "93"), (2026, "99")):
        row = Observation(indicator_id=gdp.id, year=year, value=Decimal(value))
        uow.observations.items[row.id] = row
    given_node(uow, given_chain(uow, "储能电池"), "锂离子电池")
    return uow


async def test_the_final_report_groups_lateness_by_department_and_stops_at_its_day():
    uow = ended_plan()
    report = await evaluation_report("plan", 2025, today=TODAY, uow=uow)
    assert (report.kind, report.evaluation.as_of) == ("final", date(2025, 12, 31))
    groups = [(g.lead_department_id, [n.task.id for n in g.tasks]) for g in report.behind_schedule]
    # by the department's name (科技局 U+79D1 before 经发局 U+7ECF), tasks without a lead last
    assert groups == [(LEAD, ["t-also-late"]), (OTHER, ["t-late"]), (None, ["t-unled"])]
    [granted] = report.extensions  # the 2026 decision lies after the evaluated day
    assert (granted.previous_due_date, granted.new_due_date) == (date(2024, 12, 31), date(2025, 6, 30))
    assert [o.year for o in report.observations["ind-1"]] == [2021, 2025]  # nothing after the year
    assert (report.chains.taken_on, [c.name for c in report.chains.items]) == (TODAY, ["储能电池"])
    assert report.chains.items[0].gaps == ["锂离子电池"]
    assert uow.commits == 0


async def test_the_middle_year_is_the_mid_term_report():
    report = await evaluation_report("plan", 2023, today=TODAY, uow=ended_plan())
    assert (report.kind, report.evaluation.as_of, report.extensions) == ("mid_term", date(2023, 12, 31), [])


async def test_an_unknown_plan_or_a_year_outside_it_is_refused():
    with pytest.raises(NotFound):
        await evaluation_report("nope", 2025, today=TODAY, uow=ended_plan())
    with pytest.raises(InvalidValue):
        await evaluation_report("plan", 2026, today=TODAY, uow=ended_plan())
