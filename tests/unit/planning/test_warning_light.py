from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.planning.supervision import (
    SupervisionThresholds,
    WarningLight,
    expected_progress,
    is_overdue,
    most_severe,
    own_warning,
)
from domain.planning.tasks import TaskStatus
from domain.shared.errors import InvalidValue

from .builders import in_state, task

START = date(2024, 1, 1)
DUE = START + timedelta(days=100)  # a 100-day task: one day is one point of the elapsed share
DEFAULTS = SupervisionThresholds()
Y, G, R = WarningLight.YELLOW, WarningLight.GREEN, WarningLight.RED


def light(progress, on, **fields):
    subject = task(**{"start_date": START, "due_date": DUE, **fields})
    return own_warning(subject, Decimal(progress), on, DEFAULTS)


def test_the_documented_defaults():
    assert (
        SupervisionThresholds(
            yellow_lag_points=Decimal(20),
            due_soon_days=14,
            due_soon_progress=Decimal(80),
            notified_after_days=30,
            interviewed_after_days=90,
        )
        == DEFAULTS
    )


@pytest.mark.parametrize(
    ("progress", "expected_light"),
    [("30", G), ("30.01", G), ("29.99", Y), ("0", Y)],
    ids=["exactly-20-behind", "19.99-behind", "20.01-behind", "50-behind"],
)
def test_yellow_when_more_than_20_points_behind_the_elapsed_share(progress, expected_light):
    assert light(progress, START + timedelta(days=50)) is expected_light  # expected 50


@pytest.mark.parametrize(
    ("days_left", "progress", "expected_light"),
    [(14, 79, Y), (14, 80, G), (15, 79, G), (0, 79, Y), (0, 80, G), (1, 100, G)],
)
def test_yellow_when_due_within_14_days_below_80(days_left, progress, expected_light):
    # 14 days before the due date 86 points are expected: at 79 the lag rule (20 points) stays quiet.
    assert light(progress, DUE - timedelta(days=days_left)) is expected_light


def test_red_the_day_after_the_due_date_whatever_the_progress():
    assert light(99, DUE + timedelta(days=1)) is R
    assert light(99, DUE) is G


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_done_once_completed_or_cancelled_even_past_due(status):
    subject = in_state(status, start_date=START, due_date=DUE)
    assert own_warning(subject, Decimal(0), DUE + timedelta(days=400), DEFAULTS) is WarningLight.DONE


@pytest.mark.parametrize("status", [TaskStatus.NOT_STARTED, TaskStatus.SUSPENDED])
def test_not_started_and_suspended_tasks_have_lights_like_any_open_task(status):
    subject = in_state(status, start_date=START, due_date=DUE)
    assert own_warning(subject, Decimal(0), DUE + timedelta(days=1), DEFAULTS) is R


def test_green_when_the_start_date_is_missing_and_the_due_date_far():
    assert light(0, DUE - timedelta(days=15), start_date=None) is G


def test_without_a_start_date_the_due_soon_and_overdue_rules_still_apply():
    assert light(79, DUE - timedelta(days=14), start_date=None) is Y
    assert light(79, DUE + timedelta(days=1), start_date=None) is R


def test_green_without_a_due_date_however_late():
    assert light(0, date(2030, 1, 1), due_date=None) is G


def test_expected_share_is_clamped_to_0_and_100():
    subject = task(start_date=START, due_date=DUE)
    assert expected_progress(subject, START - timedelta(days=10)) == 0
    assert expected_progress(subject, START + timedelta(days=25)) == 25
    assert expected_progress(subject, DUE + timedelta(days=10)) == 100
    assert expected_progress(task(start_date=START), START) is None


def test_expected_share_of_the_plans_five_years():
    subject = task(start_date=date(2021, 1, 1), due_date=date(2025, 12, 31))
    # 2023-07-02 is day 912 of 1825.
    assert expected_progress(subject, date(2023, 7, 2)) == Decimal(100) * 912 / 1825


def test_a_one_day_task_expects_nothing_before_its_day_and_everything_on_it():
    subject = task(start_date=START, due_date=START)
    assert expected_progress(subject, START - timedelta(days=1)) == 0
    assert expected_progress(subject, START) == 100


def test_a_task_before_its_start_is_green():
    assert light(0, START - timedelta(days=30)) is G


@pytest.mark.parametrize(
    ("on", "overdue"), [(DUE - timedelta(days=1), False), (DUE, False), (DUE + timedelta(days=1), True)]
)
def test_overdue_strictly_after_the_due_date(on, overdue):
    assert is_overdue(task(due_date=DUE), on) is overdue


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_closed_tasks_are_never_overdue(status):
    assert not is_overdue(in_state(status, due_date=DUE), DUE + timedelta(days=30))


def test_severity_red_over_yellow_over_green_over_done():
    D = WarningLight.DONE
    assert most_severe([D, G, Y, R]) is R
    assert most_severe([D, G, Y]) is Y
    assert most_severe([D, G]) is G
    assert most_severe([D]) is D
    assert most_severe([]) is D


def test_thresholds_are_configurable():
    stricter = SupervisionThresholds(yellow_lag_points=Decimal(10), due_soon_days=30)
    subject = task(start_date=START, due_date=DUE)
    assert own_warning(subject, Decimal(39), START + timedelta(days=50), stricter) is Y
    assert own_warning(subject, Decimal(100), DUE - timedelta(days=30), stricter) is G


def test_inconsistent_thresholds_are_refused():
    with pytest.raises(InvalidValue):
        SupervisionThresholds(notified_after_days=100, interviewed_after_days=90)


def test_the_lag_rule_is_decided_exactly_not_on_a_rounded_quotient():
    # Day 1 of a 3-day task expects 33.33…; 13.33…3 (28 digits) is a hair more than 20 points behind it,
    # which 100 / 3 rounded to 28 digits would hide.
    subject = task(start_date=START, due_date=START + timedelta(days=3))
    progress = Decimal("13.33333333333333333333333333")
    assert own_warning(subject, progress, START + timedelta(days=1), DEFAULTS) is Y
