"""The catalogue of domain events neighbours may subscribe to (DOMAIN.md, "Events"): each type's subject and
the one shape of its `data`, wherever it is raised (a handler, the daily sweep). docs/EVENTS.md says the same
in words; a test holds both, and every raiser, to this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# What a value of each kind is in JSON: a date "YYYY-MM-DD", a timestamp ISO 8601 with offset, a decimal as a
# string ("1234.5"), a slug an enum's value.
KINDS = ("string", "slug", "date", "timestamp", "decimal", "integer", "boolean")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")


@dataclass(frozen=True, slots=True)
class DataField:
    """One member of an event's `data`: its name, kind, whether it may be null, and what it says."""

    name: str
    kind: str
    about: str
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class EventType:
    """An event type: what it announces, its subject, and its `data`."""

    name: str
    about: str
    subject: str
    data: tuple[DataField, ...]


def _f(name: str, kind: str, about: str, *, null: bool = False) -> DataField:
    return DataField(name, kind, about, null)


_TASK_STATUS = "a task status: not_started, in_progress, suspended, completed, cancelled"
CATALOGUE: tuple[EventType, ...] = (
    EventType(
        "task.created",
        "a task was added to a plan",
        "task",
        (
            _f("plan_id", "string", "its plan"),
            _f("parent_id", "string", "its parent task", null=True),
            _f("code", "string", "its code, e.g. 5.3", null=True),
            _f("title", "string", "its title"),
        ),
    ),
    EventType(
        "task.status_changed",
        "a task moved in its status machine (by a transition, or started by its first progress report)",
        "task",
        (
            _f("from", "slug", _TASK_STATUS),
            _f("to", "slug", _TASK_STATUS),
            _f("action", "slug", "start, complete, suspend, resume, cancel or reopen"),
            _f("reason", "string", "required to cancel or reopen", null=True),
            _f("on", "date", "the day the move took effect (may be before the event was written)"),
        ),
    ),
    EventType(
        "task.progress_reported",
        "a lead department filed a progress report",
        "task",
        (
            _f("report_id", "string", "the report"),
            _f("period", "string", "the month it speaks for, YYYY-MM"),
            _f("percent", "decimal", "0–100"),
            _f("filed_by", "string", "who filed it", null=True),
            _f("filed_at", "timestamp", "when it was filed"),
        ),
    ),
    EventType(
        "task.report_returned",
        "a planner returned a report (退回); it no longer counts",
        "task",
        (
            _f("report_id", "string", "the report"),
            _f("period", "string", "its month, YYYY-MM"),
            _f("comment", "string", "why"),
            _f("returned_by", "string", "who returned it", null=True),
            _f("returned_at", "timestamp", "when"),
        ),
    ),
    EventType(
        "task.extension_decided",
        "a planner approved or rejected an extension request (延期申请)",
        "task",
        (
            _f("request_id", "string", "the request"),
            _f("approved", "boolean", "approved (the due date moved) or rejected"),
            _f("new_due_date", "date", "the due date asked for"),
            _f("previous_due_date", "date", "the due date before the decision", null=True),
            _f("note", "string", "the planner's note", null=True),
            _f("decided_by", "string", "who decided", null=True),
        ),
    ),
    EventType(
        "task.urged",
        "a planner urged an open task (催办)",
        "task",
        (
            _f("urge_id", "string", "the urge"),
            _f("note", "string", "the planner's note", null=True),
            _f("by", "string", "who urged", null=True),
            _f("urge_count", "integer", "how often the task has now been urged"),
        ),
    ),
    EventType(
        "task.overdue",
        "an open task passed its due date (the daily sweep, once per task and due date)",
        "task",
        (
            _f("code", "string", "the task's code", null=True),
            _f("title", "string", "its title"),
            _f("due_date", "date", "the due date it passed"),
            _f("lead_department_id", "string", "its lead department", null=True),
        ),
    ),
    EventType(
        "indicator.observed",
        "a year's figure of an indicator was recorded or replaced",
        "indicator",
        (
            _f("observation_id", "string", "the observation"),
            _f("year", "integer", "the plan year"),
            _f("value", "decimal", "the figure"),
            _f("previous_value", "decimal", "the figure it replaced", null=True),
            _f("source", "string", "where it comes from", null=True),
            _f("note", "string", "a note", null=True),
        ),
    ),
    EventType(
        "enterprise.registered",
        "an enterprise entered the registry",
        "enterprise",
        (
            _f("name", "string", "its name"),
            _f("credit_code", "string", "unified social credit code", null=True),
            _f("registered_on", "date", "registration date", null=True),
            _f("cluster", "string", "组团", null=True),
            _f("status", "slug", "active, moved_out or deregistered"),
        ),
    ),
    EventType(
        "enterprise.tier_changed",
        "an enterprise's tier changed: by a write (a certification issued or revoked) or, raised by the "
        "daily sweep, because a certification lapsed",
        "enterprise",
        (
            _f("enterprise_id", "string", "the enterprise (also the subject)"),
            _f("date", "date", "the day the tier changed"),
            _f("from", "slug", "the tier before: none, tech_sme, hnte, eaglet, gazelle, unicorn, platform"),
            _f("to", "slug", "the tier after"),
            _f("cause", "string", 'what changed it, e.g. "hnte GR202321000123 expired"'),
        ),
    ),
    EventType(
        "certification.expiring",
        "a certification's last valid day is 90 days away or less (the daily sweep, once per certification "
        "and expiry)",
        "certification",
        (
            _f("enterprise_id", "string", "its enterprise"),
            _f("kind", "slug", "the certification's kind"),
            _f("number", "string", "its number", null=True),
            _f("expires_on", "date", "its last valid day"),
            _f("days_left", "integer", "days from the sweep's day to that day"),
        ),
    ),
    EventType(
        "pool.member_added",
        "an enterprise entered a cultivation pool (入库)",
        "pool",
        (
            _f("membership_id", "string", "the membership"),
            _f("pool", "slug", "the pool (also the subject)"),
            _f("enterprise_id", "string", "the enterprise"),
            _f("entered_on", "date", "the day it entered"),
            _f("entered_by", "string", "who put it there"),
            _f("reason", "string", "why", null=True),
        ),
    ),
    EventType(
        "pool.member_removed",
        "an enterprise left a cultivation pool (出库)",
        "pool",
        (
            _f("membership_id", "string", "the membership"),
            _f("pool", "slug", "the pool (also the subject)"),
            _f("enterprise_id", "string", "the enterprise"),
            _f("left_on", "date", "the day it left"),
            _f("reason", "string", "why", null=True),
        ),
    ),
    EventType(
        "chain.chief_assigned",
        "a chain's chief, or the general chief, was assigned (subject: the chain, or `general_chief` and the "
        "assignment)",
        "chain | general_chief",
        (
            _f("chain_id", "string", "the chain; null for the general chief", null=True),
            _f("user_id", "string", "the new chief"),
            _f("since", "date", "the first day of the assignment"),
            _f("previous_user_id", "string", "the chief it replaced", null=True),
        ),
    ),
    EventType(
        "chain.node_gap_opened",
        "a leaf node of a chain lost its last active enterprise: a gap (缺失环节)",
        "chain",
        (_f("chain_id", "string", "the chain (also the subject)"), _f("node_id", "string", "the node")),
    ),
    EventType(
        "chain.node_gap_closed",
        "a gap closed: an active enterprise linked to it, or the node was removed",
        "chain",
        (
            _f("chain_id", "string", "the chain (also the subject)"),
            _f("node_id", "string", "the node"),
            _f("node_removed", "boolean", "closed because the node was deleted"),
        ),
    ),
    EventType(
        "target.stage_changed",
        "an investment target entered a stage (its first, `lead`, on creation)",
        "target",
        (
            _f("from", "slug", "the stage before; null for a new target", null=True),
            _f("to", "slug", "lead, negotiating, signed, under_construction, in_production or dropped"),
            _f("date", "date", "the day it entered the stage"),
        ),
    ),
)
EVENTS: dict[str, EventType] = {event.name: event for event in CATALOGUE}
EVENT_TYPES: tuple[str, ...] = tuple(EVENTS)


def payload_problems(event_type: str, data: Any) -> list[str]:
    """What is wrong with `data` as the payload of `event_type`: [] when it has exactly the catalogued
    members, each of its kind (or null where allowed)."""
    event = EVENTS.get(event_type)
    if event is None:
        return [f"{event_type} is not in the catalogue"]
    if not isinstance(data, dict):
        return ["data is no object"]
    names = [f.name for f in event.data]
    problems = [f"{name}: not in the catalogue" for name in data if name not in names]
    problems += [f"{name}: missing" for name in names if name not in data]
    for member in event.data:
        if member.name in data and not _fits(member, data[member.name]):
            problems.append(f"{member.name}: {data[member.name]!r} is no {member.kind}")
    return problems


def _fits(member: DataField, value: Any) -> bool:
    if value is None:
        return member.nullable
    if member.kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if member.kind == "boolean":
        return isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if member.kind == "date":
        return _DATE.fullmatch(value) is not None
    if member.kind == "timestamp":
        return _TIMESTAMP.fullmatch(value) is not None
    if member.kind == "decimal":
        try:
            return Decimal(value).is_finite()
        except InvalidOperation:
            return False
    return True
