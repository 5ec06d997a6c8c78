from dataclasses import astuple
from datetime import date

import pytest

from domain.chains.chiefs import (
    ChiefAssignment,
    active_chief,
    assign_chief,
    assign_general_chief,
    chains_led_by,
)
from domain.shared.errors import ChiefOverlap, Conflict, InvalidValue

CHAIN = "chain-1"
JAN = date(2024, 1, 1)
MAR = date(2024, 3, 1)
JUN = date(2024, 6, 1)


def assign(history, user, since, chain_id=CHAIN):
    """Assign as a handler would: persist (append) the result only when it is new."""
    result = assign_chief(history, user, since, chain_id=chain_id, assigned_by="admin")
    if result not in history:
        history.append(result)
    return result


def test_first_assignment_is_active_and_records_the_event_without_predecessor():
    history = []
    first = assign(history, "li", JAN)
    assert (first.chain_id, first.user_id, first.since, first.until, first.assigned_by) == (
        CHAIN,
        "li",
        JAN,
        None,
        "admin",
    )
    [event] = first.pull_events()
    assert event.type == "chain.chief_assigned"
    assert (event.subject_type, event.subject_id) == ("chain", CHAIN)
    assert event.data == {"chain_id": CHAIN, "user_id": "li", "since": "2024-01-01", "previous_user_id": None}


def test_replacement_ends_the_current_chief_on_the_new_since():
    history = []
    first = assign(history, "li", JAN)
    second = assign(history, "wang", MAR)
    assert first.until == MAR
    assert second.until is None
    assert [a.active for a in history] == [False, True]
    [event] = second.pull_events()
    assert event.data["previous_user_id"] == "li"
    assert event.data["since"] == "2024-03-01"


def test_since_before_the_current_since_is_a_chief_overlap_and_changes_nothing():
    history = []
    first = assign(history, "li", MAR)
    with pytest.raises(ChiefOverlap) as refused:
        assign(history, "wang", date(2024, 2, 29))
    assert refused.value.rule == "chief-overlap"
    assert refused.value.field == "since"
    assert first.until is None
    assert history == [first]


def test_another_user_on_the_same_since_is_a_same_day_correction_leaving_an_empty_term():
    history = []
    first = assign(history, "li", MAR)
    second = assign(history, "wang", MAR)
    assert (first.since, first.until) == (MAR, MAR)  # [MAR, MAR): in force on no day, kept in the history
    assert (second.since, second.until) == (MAR, None)
    assert not first.covers(MAR) and second.covers(MAR)
    assert active_chief(history, MAR) is second
    assert active_chief(history, date(2024, 2, 29)) is None
    [event] = second.pull_events()
    assert (event.data["since"], event.data["previous_user_id"]) == ("2024-03-01", "li")


@pytest.mark.parametrize(("until", "covers_mar"), [(MAR, False), (date(2024, 3, 2), True)])
def test_an_ended_assignment_may_cover_an_empty_term(until, covers_mar):
    assert ChiefAssignment(chain_id=CHAIN, user_id="li", since=MAR, until=until).covers(MAR) is covers_mar


def test_the_day_after_the_current_since_is_accepted():
    history = []
    first = assign(history, "li", MAR)
    assign(history, "wang", date(2024, 3, 2))
    assert first.until == date(2024, 3, 2)


@pytest.mark.parametrize("since", [MAR, JUN])
def test_reassigning_the_active_chief_is_a_no_op_without_event(since):
    history = []
    first = assign(history, "li", MAR)
    first.pull_events()
    again = assign(history, "li", since)
    assert again is first
    assert (first.since, first.until) == (MAR, None)
    assert again.pull_events() == []
    assert len(history) == 1


def test_reassigning_the_active_chief_earlier_than_their_since_is_still_an_overlap():
    history = []
    assign(history, "li", MAR)
    with pytest.raises(ChiefOverlap):
        assign(history, "li", JAN)


def test_history_is_appended_and_ended_assignments_are_never_rewritten():
    history = []
    assign(history, "li", JAN)
    assign(history, "wang", MAR)
    ended = astuple(history[0])
    assign(history, "zhao", JUN)
    assert astuple(history[0]) == ended
    assert [(a.user_id, a.since, a.until) for a in history] == [
        ("li", JAN, MAR),
        ("wang", MAR, JUN),
        ("zhao", JUN, None),
    ]


def test_without_an_active_chief_since_may_not_precede_the_last_end():
    ended = ChiefAssignment(chain_id=CHAIN, user_id="li", since=JAN, until=MAR)
    with pytest.raises(ChiefOverlap):
        assign_chief([ended], "wang", date(2024, 2, 29), chain_id=CHAIN)
    assert assign_chief([ended], "wang", MAR, chain_id=CHAIN).since == MAR


def test_two_active_assignments_in_the_history_are_a_conflict():
    broken = [ChiefAssignment(chain_id=CHAIN, user_id=u, since=JAN) for u in ("li", "wang")]
    with pytest.raises(Conflict):
        assign_chief(broken, "zhao", JUN, chain_id=CHAIN)


def test_a_history_of_another_chain_is_refused():
    other = [ChiefAssignment(chain_id="chain-2", user_id="li", since=JAN)]
    with pytest.raises(InvalidValue):
        assign_chief(other, "wang", JUN, chain_id=CHAIN)


@pytest.mark.parametrize("user_id", ["", "   ", None])
def test_a_user_is_required(user_id):
    with pytest.raises(InvalidValue) as refused:
        assign_chief([], user_id, JAN, chain_id=CHAIN)
    assert refused.value.field == "user_id"


@pytest.mark.parametrize("until", [date(2023, 12, 30), date(2023, 12, 31)])
def test_an_assignment_never_ends_before_it_begins(until):
    with pytest.raises(InvalidValue) as refused:
        ChiefAssignment(chain_id=CHAIN, user_id="li", since=JAN, until=until)
    assert refused.value.field == "until"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 12, 31), None),  # before the first since
        (JAN, "li"),  # since is inside
        (date(2024, 2, 29), "li"),  # the last day before until
        (MAR, "wang"),  # until is outside: the successor's first day
        (date(2030, 1, 1), "wang"),  # open-ended
    ],
)
def test_active_chief_on_the_boundaries_of_since_and_until(on, expected):
    history = []
    assign(history, "li", JAN)
    assign(history, "wang", MAR)
    chief = active_chief(history, on)
    assert (chief.user_id if chief else None) == expected


def test_no_chief_for_a_new_chain():
    assert active_chief([], JUN) is None


def test_general_chief_follows_the_same_rules():
    history = []
    first = assign_general_chief(history, "director", JAN, assigned_by="admin")
    history.append(first)
    [event] = first.pull_events()
    assert first.chain_id is None
    assert (event.type, event.subject_type, event.subject_id) == (
        "chain.chief_assigned",
        "general_chief",
        first.id,
    )
    assert event.data["chain_id"] is None
    with pytest.raises(ChiefOverlap):
        assign_general_chief(history, "deputy", date(2023, 12, 31))
    second = assign_general_chief(history, "deputy", JUN)
    history.append(second)
    assert first.until == JUN
    assert second.pull_events()[0].data["previous_user_id"] == "director"
    assert active_chief(history, date(2024, 5, 31)).user_id == "director"
    assert active_chief(history, JUN).user_id == "deputy"
    third = assign_general_chief(history, "director2", JUN)  # a same-day correction, as for a chain
    history.append(third)
    assert (second.since, second.until) == (JUN, JUN) and active_chief(history, JUN) is third


def test_a_chain_history_cannot_feed_the_general_chief():
    with pytest.raises(InvalidValue):
        assign_general_chief([ChiefAssignment(chain_id=CHAIN, user_id="li", since=JAN)], "x", JUN)


def test_rights_come_from_the_assignment_covering_the_day():
    history_1, history_2 = [], []
    assign(history_1, "li", JAN, chain_id="c1")
    assign(history_1, "wang", JUN, chain_id="c1")
    assign(history_2, "li", MAR, chain_id="c2")
    general = assign_general_chief([], "li", JAN)
    everything = [*history_1, *history_2, general]
    assert chains_led_by(everything, "li", date(2024, 2, 1)) == {"c1"}
    assert chains_led_by(everything, "li", MAR) == {"c1", "c2"}
    assert chains_led_by(everything, "li", JUN) == {"c2"}
    assert chains_led_by(everything, "wang", MAR) == frozenset()
