"""The audit writer: every change the unit of work commits becomes a hash-chained audit_log entry.

Changes are captured before each flush (when SQLAlchemy still knows the old values) and written just
before commit, in the same transaction — a rolled-back write leaves no entry. Entries are appended
under a lock (PostgreSQL advisory lock; SQLite's single writer) so the chain never forks, each signed
with the chain's key (GAOXIN_AUDIT_KEY); a new key is announced by a marker entry first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import insert, inspect, select, text

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.nodes import Node, NodeLink
from domain.chains.targets import Target
from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.pools import PoolMembership
from domain.identity.accounts import Client, Department, User
from domain.identity.audit import GENESIS, AuditEntry, Keyring, entry_hash, key_change_marker, redact
from domain.integration.webhooks import Webhook
from domain.planning.attachments import Attachment
from domain.planning.indicators import Indicator, Observation
from domain.planning.plan import Plan
from domain.planning.reports import ProgressReport
from domain.planning.status import Transition
from domain.planning.tasks import Task
from domain.planning.workflow import ExtensionRequest, Urge
from infrastructure.db.tables import cultivation as cultivation_tables
from infrastructure.db.tables.identity import audit_log

AUDIT_LOCK_KEY = 0x6761_6F78  # "gaox": the advisory lock that serialises appends to the chain

_keyring: Keyring | None = None


def configure(keyring: Keyring) -> None:
    """Set the chain's keys; called once at start-up (app and CLI), as `crypto.configure` is."""
    global _keyring
    _keyring = keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("infrastructure.audit.configure() was not called")
    return _keyring


@dataclass(frozen=True)
class AuditSpec:
    """How one aggregate type appears in the log."""

    resource_type: str
    hidden: frozenset[str] = frozenset()  # shown as "changed", never as a value
    ignored: frozenset[str] = frozenset({"version"})


# The aggregates whose every change is an audit entry, and how each appears: the one list (the unit of work
# consults it before each flush; nothing registers itself by being imported).
_FIGURES = frozenset(col.name for col in cultivation_tables.annual_metrics.columns) - {
    "id",
    "enterprise_id",
    "year",
    "version",
}  # every figure of a metrics record is sensitive: the log says "changed", never the value
AUDITED: dict[type, AuditSpec] = {
    Department: AuditSpec("department"),
    User: AuditSpec("user", hidden=frozenset({"password_hash"})),
    Client: AuditSpec("client", hidden=frozenset({"secret_hash"})),
    Plan: AuditSpec("plan"),
    Task: AuditSpec("task"),
    Transition: AuditSpec("task_transition"),
    ProgressReport: AuditSpec("progress_report"),
    ExtensionRequest: AuditSpec("extension_request"),
    Urge: AuditSpec("urge"),
    Indicator: AuditSpec("indicator"),
    Observation: AuditSpec("observation"),
    Attachment: AuditSpec("attachment", hidden=frozenset({"content"})),
    Enterprise: AuditSpec("enterprise", ignored=frozenset({"version", "search_text"})),
    Certification: AuditSpec("certification"),
    AnnualMetrics: AuditSpec("annual_metrics", hidden=_FIGURES),
    PoolMembership: AuditSpec("pool_membership"),
    Chain: AuditSpec("chain"),
    ChiefAssignment: AuditSpec("chief_assignment"),
    Node: AuditSpec("chain_node"),
    NodeLink: AuditSpec("chain_node_link"),
    Target: AuditSpec("target"),
    Webhook: AuditSpec("webhook", hidden=frozenset({"secret"})),
}


def plain(value: Any) -> Any:
    """A JSON-ready copy of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _columns(obj: Any, spec: AuditSpec) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in spec.ignored]


@dataclass
class _Change:
    obj: Any
    spec: AuditSpec
    action: str
    before: dict[str, Any] = field(default_factory=dict)


class AuditRecorder:
    """Collects the changes of one unit of work and appends them to the chain at commit."""

    def __init__(self) -> None:
        self.changes: dict[int, _Change] = {}
        self.extra: list[AuditEntry] = []

    def capture(self, session) -> None:
        """Note what the coming flush creates, changes and deletes (before it is written)."""
        for obj in session.new:
            spec = AUDITED.get(type(obj))
            if spec and id(obj) not in self.changes:
                self.changes[id(obj)] = _Change(obj, spec, "create")
        for obj in session.dirty:
            spec = AUDITED.get(type(obj))
            if not spec or not session.is_modified(obj):
                continue
            change = self.changes.setdefault(id(obj), _Change(obj, spec, "update"))
            state = inspect(obj)
            for key in _columns(obj, spec):
                history = state.attrs[key].history
                if history.has_changes() and key not in change.before and change.action == "update":
                    change.before[key] = plain(history.deleted[0]) if history.deleted else None
        for obj in session.deleted:
            spec = AUDITED.get(type(obj))
            if spec:
                snapshot = {k: plain(getattr(obj, k)) for k in _columns(obj, spec)}
                self.changes[id(obj)] = _Change(obj, spec, "delete", snapshot)

    def entries(
        self, *, at: datetime, actor: str | None, request_id: str | None, source: str | None = None
    ) -> list[AuditEntry]:
        entries = []
        for change in self.changes.values():
            obj, spec = change.obj, change.spec
            state = inspect(obj)
            if change.action != "delete" and not state.persistent:
                continue  # created inside a savepoint that was rolled back (a refused import row)
            if change.action == "delete":
                before, after = redact(change.before, spec.hidden), None
            elif change.action == "create":
                before = None
                after = redact({k: plain(getattr(obj, k)) for k in _columns(obj, spec)}, spec.hidden)
            else:
                changed = {k: v for k, v in change.before.items() if plain(getattr(obj, k)) != v}
                if not changed:
                    continue
                before = redact(changed, spec.hidden)
                after = redact({k: plain(getattr(obj, k)) for k in changed}, spec.hidden)
            entries.append(
                AuditEntry(
                    at,
                    actor,
                    f"{spec.resource_type}.{change.action}",
                    spec.resource_type,
                    getattr(obj, "id", None),
                    request_id,
                    before,
                    after,
                    source,
                )
            )
        self.changes.clear()
        entries.extend(self.extra)
        self.extra.clear()
        return entries


async def _head(session):
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    newest = select(audit_log.c.hash, audit_log.c.key_id).order_by(audit_log.c.id.desc()).limit(1)
    return (await session.execute(newest)).first()


async def append_entries(session, entries: list[AuditEntry], *, seal: bool = False) -> None:
    """Chain the entries onto the log's head and insert them; a new key is announced by a marker first.

    `seal` appends the marker alone when the head was signed with another key (or none: the chain
    written before it was keyed): at start-up, so that the chain ends keyed before the first write.
    """
    if not entries and not seal:
        return
    head = await _head(session)
    signing = keyring().signing
    if head is not None and head.key_id != signing.id:
        at = entries[0].at if entries else datetime.now(UTC)
        entries = [key_change_marker(at, head.key_id, signing.id), *entries]
    previous = head.hash if head is not None else GENESIS
    rows = []
    for entry in entries:
        previous = entry_hash(previous, entry, signing)
        rows.append(
            {
                "at": entry.at,
                "actor": entry.actor,
                "action": entry.action,
                "resource_type": entry.resource_type,
                "resource_id": entry.resource_id,
                "request_id": entry.request_id,
                "before": entry.before,
                "after": entry.after,
                "source": entry.source,
                "key_id": signing.id,
                "hash": previous,
            }
        )
    if rows:
        await session.execute(insert(audit_log), rows)
