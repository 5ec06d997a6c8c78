"""链长制: who is chief of a chain, or general chief (总链长), over which dates.

An assignment covers the half-open interval [since, until). History is appended, never rewritten:
the only change ever made to an existing assignment is ending the active one (setting `until`)
when its successor begins. The database also keeps "one active per chain" with a partial unique
index; these rules are the first line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.chains import events
from domain.chains._checks import required_text
from domain.shared.errors import ChiefOverlap, Conflict, InvalidValue
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id


@dataclass(eq=False)
class ChiefAssignment(RecordsEvents):
    """链长任命: a user is chief of a chain (general chief when chain_id is None) over [since, until)."""

    chain_id: str | None
    user_id: str
    since: date
    until: date | None = None
    assigned_by: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.user_id = _user_id(self.user_id)
        # until == since is the empty term a same-day correction leaves (assign_chief)
        if self.until is not None and self.until < self.since:
            raise InvalidValue("until must not precede since", "任期结束日期不得早于开始日期", field="until")

    @property
    def active(self) -> bool:
        """True while the assignment has no end (it may still begin in the future)."""
        return self.until is None

    def covers(self, on: date) -> bool:
        """True when `on` lies in [since, until)."""
        return self.since <= on and (self.until is None or on < self.until)


def assign_chief(
    history: Sequence[ChiefAssignment],
    user_id: str,
    since: date,
    *,
    chain_id: str | None,
    assigned_by: str | None = None,
) -> ChiefAssignment:
    """任命链长: return the new assignment, ending the active one on `since`.

    `history` is every assignment of this chain (of the general chief when chain_id is None).
    - `since` before the active one's `since` → ChiefOverlap.
    - The user already active → the active assignment itself, unchanged, no event (a repeated PUT
      is harmless); the caller persists the result only when it is not already in `history`.
    - Another user with `since` equal to the active one's: a same-day correction. The active assignment
      ends on that same day, covering the empty [since, since): it stays in the history (appended,
      never removed), and was never in force on any day.
    - No active assignment: `since` may not precede the end of the last one.
    Records `chain.chief_assigned` on the new assignment.
    """
    user_id = _user_id(user_id)
    if any(a.chain_id != chain_id for a in history):
        raise InvalidValue("the history belongs to another chain", "任命记录不属于该产业链", field="chain_id")
    current = _the_active(history)
    if current is not None:
        if since < current.since:
            raise _overlap(current.since)
        if current.user_id == user_id:
            return current
    else:
        last_end = max((a.until for a in history if a.until is not None), default=None)
        if last_end is not None and since < last_end:
            raise ChiefOverlap(
                f"since may not precede {last_end.isoformat()}, the end of the last assignment",
                f"任命开始日期不得早于{last_end.isoformat()}(上一任期的结束日期)",
                field="since",
            )
    assignment = ChiefAssignment(chain_id=chain_id, user_id=user_id, since=since, assigned_by=assigned_by)
    if current is not None:
        current.until = since
    previous_user_id = current.user_id if current is not None else None
    assignment.record_event(events.chain_chief_assigned(assignment, previous_user_id))
    return assignment


def assign_general_chief(
    history: Sequence[ChiefAssignment], user_id: str, since: date, *, assigned_by: str | None = None
) -> ChiefAssignment:
    """任命总链长: the same rules as `assign_chief`, for the assignments without a chain."""
    return assign_chief(history, user_id, since, chain_id=None, assigned_by=assigned_by)


def active_chief(history: Iterable[ChiefAssignment], on: date) -> ChiefAssignment | None:
    """Return the assignment covering `on` (since ≤ on < until), None when nobody is chief that day."""
    covering = [a for a in history if a.covers(on)]
    # Appended history never has two; the latest start wins should a broken import produce them.
    return max(covering, key=lambda a: a.since, default=None)


def chains_led_by(assignments: Iterable[ChiefAssignment], user_id: str, on: date) -> frozenset[str]:
    """Return the chains whose chief on `on` is the user: a chief's rights come from these alone."""
    return frozenset(
        a.chain_id for a in assignments if a.chain_id is not None and a.user_id == user_id and a.covers(on)
    )


def _the_active(history: Sequence[ChiefAssignment]) -> ChiefAssignment | None:
    active = [a for a in history if a.active]
    if len(active) > 1:
        raise Conflict("the chain has two active chiefs", "该产业链同时有两名在任链长")
    return active[0] if active else None


def _overlap(boundary: date) -> ChiefOverlap:
    return ChiefOverlap(
        f"since may not precede {boundary.isoformat()}, the start of the current assignment",
        f"任命开始日期不得早于{boundary.isoformat()}(现任任期的开始日期)",
        field="since",
    )


def _user_id(value: object) -> str:
    return required_text(value, field="user_id", en="user_id is required", zh="须指定链长用户")
