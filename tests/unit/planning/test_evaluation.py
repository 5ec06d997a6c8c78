from datetime import date
from decimal import Decimal

import pytest

from domain.planning.assessment import AssessmentStatus
from domain.planning.evaluation import as_of, evaluate
from domain.planning.ports import NoLiveCounts, live_counts
from domain.planning.progress import build_tree
from domain.planning.supervision import Divergence, Escalation, WarningLight, divergences
from domain.planning.tasks import TaskStatus
from domain.shared.errors import InvalidValue

from .builders import GDP, PLAN, REVENUE, in_state, indicator, observation, report, task

S = TaskStatus
FIVE_YEARS = {"start_date": date(2021, 1, 1), "due_date": date(2025, 12, 31)}


def the_plan():
    tasks = [
        in_state(S.IN_PROGRESS, id="k1", code="4", **FIVE_YEARS),
        in_state(
            S.IN_PROGRESS,
            id="m1",
            code="4.1",
            parent_id="k1",
            indicator_ids=[GDP.id, REVENUE.id],
            **FIVE_YEARS,
        ),
        in_state(
            S.IN_PROGRESS,
            id="m2",
            code="4.2",
            parent_id="k1",
            indicator_ids=[GDP.id],
            start_date=date(2021, 1, 1),
            due_date=date(2023, 6, 30),
        ),
        in_state(S.COMPLETED, id="k2", code="5", indicator_ids=[GDP.id], **FIVE_YEARS),
        in_state(S.CANCELLED, id="x", code="6", indicator_ids=[GDP.id], **FIVE_YEARS),
    ]
    reports = [
        report("m1", "2023-12", 90),
        report("m1", "2024-02", 100),  # after the year: not seen by the 2023 evaluation
        report("m2", "2023-05", 50),
        report("x", "2023-01", 95),
    ]
    observations = [
        observation(GDP, 2023, "110"),  # E(2023) = 126.32, short by 16.32 > 5.17: off track
        observation(GDP, 2024, "150"),  # after the year: not used
        observation(REVENUE, 2023, "1000"),
    ]
    return tasks, reports, observations


def evaluated(today=date(2026, 3, 1), year=2023, **extra):
    tasks, reports, observations = the_plan()
    day = as_of(year, today)
    return evaluate(
        PLAN,
        year,
        on=day,
        tree=build_tree(tasks, reports, on=day),
        indicators=[GDP, REVENUE],
        observations=observations,
        **extra,
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 1), date(2023, 12, 31)),
        (date(2023, 12, 31), date(2023, 12, 31)),
        (date(2023, 6, 15), date(2023, 6, 15)),
    ],
)
def test_the_evaluation_is_taken_as_of_the_earlier_of_today_and_31_december(today, expected):
    assert as_of(2023, today) == expected
    assert evaluated(today=today).as_of == expected


def test_key_tasks_are_the_roots_in_code_order_with_progress_as_of_the_year_end():
    result = evaluated()
    assert [(n.task.id, n.progress, n.warning, n.escalation) for n in result.tasks] == [
        ("k1", Decimal(70), WarningLight.RED, Escalation.NONE),  # (90 + 50) / 2; m2 is overdue below it
        ("k2", Decimal(100), WarningLight.DONE, Escalation.NONE),
        ("x", Decimal(95), WarningLight.DONE, Escalation.NONE),
    ]
    m2 = result.tasks[0].children[1]
    assert (m2.task.id, m2.overdue, m2.escalation) == ("m2", True, Escalation.INTERVIEWED)  # 184 days


def test_counts_run_over_all_tasks_with_every_light_and_status_present():
    assert evaluated().counts == {
        "warning": {"red": 2, "yellow": 0, "green": 1, "done": 2},
        "status": {"not_started": 0, "in_progress": 3, "suspended": 0, "completed": 1, "cancelled": 1},
        "escalation": {"none": 4, "reminded": 0, "urged": 0, "notified": 0, "interviewed": 1},
    }


def test_indicators_come_in_code_order_assessed_on_observations_up_to_the_year():
    result = evaluated()
    assert [
        (r.indicator.code, r.assessment.actual_value, r.assessment.status) for r in result.indicators
    ] == [
        (1, Decimal(1000), AssessmentStatus.ON_TRACK),
        (2, Decimal(110), AssessmentStatus.OFF_TRACK),
    ]


def test_divergences_are_tasks_at_least_80_done_on_an_off_track_indicator_cancelled_ones_left_out():
    assert evaluated().divergences == [Divergence("m1", GDP.id), Divergence("k2", GDP.id)]


def test_mid_year_only_reports_up_to_this_month_count():
    tasks, _, observations = the_plan()
    reports = [report("m1", "2023-06", 40), report("m1", "2023-07", 90)]
    result = evaluate(
        PLAN,
        2023,
        on=date(2023, 6, 15),
        tree=build_tree(tasks, reports, on=date(2023, 6, 15)),
        indicators=[],
        observations=observations,
    )
    assert result.tasks[0].children[0].progress == 40


def test_registry_counts_show_beside_the_live_indicators():
    hnte = indicator(baseline="111", target="160", code=8)
    result = evaluate(
        PLAN,
        2023,
        on=date(2023, 12, 31),
        tree=build_tree([], [], on=date(2023, 12, 31)),
        indicators=[hnte],
        observations=[observation(hnte, 2023, "140")],
        registry_counts={8: 137},
    )
    assert result.indicators[0].assessment.registry_value == 137


@pytest.mark.parametrize("year", [2020, 2026])
def test_a_year_outside_the_plan_is_refused(year):
    with pytest.raises(InvalidValue) as refused:
        evaluated(year=year)
    assert refused.value.field == "year"


@pytest.mark.parametrize(("progress", "diverges"), [("80", True), ("79.99", False), ("100", True)])
def test_divergence_starts_at_80_percent(progress, diverges):
    subject = task(id="t", indicator_ids=["i"])
    found = divergences([(subject, Decimal(progress))], {"i": AssessmentStatus.OFF_TRACK})
    assert found == ([Divergence("t", "i")] if diverges else [])


@pytest.mark.parametrize(
    "status", [AssessmentStatus.AT_RISK, AssessmentStatus.ON_TRACK, AssessmentStatus.NO_DATA]
)
def test_only_an_off_track_indicator_diverges(status):
    assert divergences([(task(id="t", indicator_ids=["i"]), Decimal(100))], {"i": status}) == []


def test_no_live_counts_knows_nothing():
    assert NoLiveCounts().count(8, 2023) is None
    assert live_counts(NoLiveCounts(), 2023) == {}


def test_live_counts_asks_for_indicators_8_to_11_only():
    asked = []

    class Registry:
        def count(self, indicator_code, year):
            asked.append((indicator_code, year))
            return None if indicator_code == 11 else indicator_code * 10

    assert live_counts(Registry(), 2023) == {8: 80, 9: 90, 10: 100}
    assert asked == [(8, 2023), (9, 2023), (10, 2023), (11, 2023)]
