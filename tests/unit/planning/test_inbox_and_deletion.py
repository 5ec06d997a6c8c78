"""Rules the API needs beside the model: leaf tasks, what blocks deletion, a department's inbox order."""

from datetime import UTC, date, datetime

import pytest

from domain.planning.supervision import SupervisionThresholds, attention, inbox_key
from domain.planning.tasks import TaskStatus, is_leaf
from domain.shared.errors import NotDeletable

from .builders import in_state, report, task

ON = date(2024, 6, 1)
T = SupervisionThresholds()


def test_a_task_without_children_or_with_only_cancelled_ones_is_a_leaf():
    assert is_leaf([])
    assert is_leaf([in_state(TaskStatus.CANCELLED), in_state(TaskStatus.CANCELLED)])
    assert not is_leaf([in_state(TaskStatus.CANCELLED), in_state(TaskStatus.COMPLETED)])
    assert not is_leaf([in_state(TaskStatus.NOT_STARTED)])


def test_extension_requests_or_urges_block_deletion_with_their_own_message():
    with pytest.raises(NotDeletable, match="extension requests or urges"):
        task().check_deletable(has_reports=False, has_children=False, has_requests=True)
    task().check_deletable(has_reports=False, has_children=False, has_requests=False)


@pytest.mark.parametrize(
    ("due", "soon"),
    [(date(2024, 6, 15), True), (date(2024, 6, 16), False), (date(2024, 5, 31), True), (None, False)],
)
def test_due_soon_is_within_14_days_or_already_past(due, soon):
    flags = attention(task(due_date=due), latest_filed=None, last_urged_at=None, on=ON, thresholds=T)
    assert flags.due_soon is soon and flags.needed is soon


def test_returned_means_the_last_report_filed_was_sent_back():
    subject = task()
    kept = report(subject.id, "2024-05", 40)
    sent_back = report(subject.id, "2024-05", 40, returned=True)
    assert attention(subject, latest_filed=sent_back, last_urged_at=None, on=ON, thresholds=T).returned
    assert not attention(subject, latest_filed=kept, last_urged_at=None, on=ON, thresholds=T).returned


def test_urged_counts_only_until_the_next_report():
    subject = task()
    filed = report(subject.id, "2024-05", 40, filed=datetime(2024, 5, 20, tzinfo=UTC))
    before, after = datetime(2024, 5, 19, tzinfo=UTC), datetime(2024, 5, 21, tzinfo=UTC)
    assert attention(subject, latest_filed=filed, last_urged_at=after, on=ON, thresholds=T).urged
    assert not attention(subject, latest_filed=filed, last_urged_at=before, on=ON, thresholds=T).urged
    assert attention(subject, latest_filed=None, last_urged_at=before, on=ON, thresholds=T).urged
    assert not attention(subject, latest_filed=None, last_urged_at=None, on=ON, thresholds=T).urged


def test_inbox_puts_attention_first_then_the_earliest_due_date():
    calm_early = task(code="a", due_date=date(2024, 9, 1))
    calm_late = task(code="b", due_date=date(2025, 1, 1))
    undated = task(code="c")
    urgent = task(code="d", due_date=date(2024, 6, 10))
    flagged = {
        t.id: attention(t, latest_filed=None, last_urged_at=None, on=ON, thresholds=T)
        for t in (calm_early, calm_late, undated, urgent)
    }
    ordered = sorted([undated, calm_late, urgent, calm_early], key=lambda t: inbox_key(t, flagged[t.id]))
    assert [t.code for t in ordered] == ["d", "a", "b", "c"]
