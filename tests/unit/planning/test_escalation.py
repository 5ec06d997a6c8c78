from datetime import date, timedelta

import pytest

from domain.planning.supervision import Escalation, SupervisionThresholds, escalation
from domain.planning.tasks import TaskStatus

from .builders import in_state, task

DUE = date(2024, 1, 31)
DEFAULTS = SupervisionThresholds()


@pytest.mark.parametrize(
    ("days_overdue", "urges", "expected"),
    [
        (0, 0, Escalation.NONE),
        (1, 0, Escalation.REMINDED),
        (30, 0, Escalation.REMINDED),
        (1, 1, Escalation.URGED),
        (30, 2, Escalation.URGED),
        (31, 0, Escalation.NOTIFIED),
        (31, 1, Escalation.NOTIFIED),
        (90, 0, Escalation.NOTIFIED),
        (91, 0, Escalation.INTERVIEWED),
        (91, 3, Escalation.INTERVIEWED),
    ],
)
def test_escalation_by_days_overdue(days_overdue, urges, expected):
    subject = task(due_date=DUE, urge_count=urges)
    assert escalation(subject, DUE + timedelta(days=days_overdue), DEFAULTS) is expected


def test_no_escalation_without_a_due_date():
    assert escalation(task(), date(2030, 1, 1), DEFAULTS) is Escalation.NONE


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_no_escalation_once_closed(status):
    assert escalation(in_state(status, due_date=DUE), DUE + timedelta(days=200), DEFAULTS) is Escalation.NONE


def test_escalation_thresholds_are_configurable():
    quicker = SupervisionThresholds(notified_after_days=7, interviewed_after_days=30)
    assert escalation(task(due_date=DUE), DUE + timedelta(days=8), quicker) is Escalation.NOTIFIED
    assert escalation(task(due_date=DUE), DUE + timedelta(days=31), quicker) is Escalation.INTERVIEWED
