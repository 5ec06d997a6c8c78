"""The relay's state for operators (/metrics), read from the database: every worker answers the same,
whether the relay runs in-process or as `gaoxin relay`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.integration.deliveries import DeliveryStatus, Outcome
from infrastructure.db.tables.integration import relay_counters, webhook_deliveries
from infrastructure.db.tables.outbox import outbox

NATS_FAILURES = "nats.publish_failures"
LAST_SWEEP = "sweep.last_run"  # its value: the Unix time of the last sweep


def attempt_counter(outcome: Outcome) -> str:
    """delivered (2xx), rejected (any other answer), unreachable (no answer: refused, timed out, …)."""
    if outcome.status_code is None:
        return "attempts.unreachable"
    return "attempts.delivered" if 200 <= outcome.status_code < 300 else "attempts.rejected"


async def count(session, name: str, by: int = 1, *, now: datetime | None = None) -> None:
    """Add `by` to a counter, in the caller's transaction."""
    await _upsert(session, name, by, now, add=True)


async def note_time(session, name: str, now: datetime) -> None:
    """Set a counter to `now` as Unix seconds (the last sweep's time)."""
    await _upsert(session, name, int(now.timestamp()), now, add=False)


async def _upsert(session, name: str, value: int, now: datetime | None, *, add: bool) -> None:
    now = now or datetime.now(UTC)
    dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(relay_counters).values(name=name, value=value, updated_at=now)
    new_value = relay_counters.c.value + statement.excluded.value if add else statement.excluded.value
    await session.execute(
        statement.on_conflict_do_update(index_elements=["name"], set_={"value": new_value, "updated_at": now})
    )


@dataclass
class RelayFigures:
    """What /metrics shows of the integration."""

    waiting: int = 0
    oldest_waiting_seconds: float = 0.0
    deliveries: dict[tuple[str, str], int] = field(default_factory=dict)  # (webhook id, status) -> count
    counters: dict[str, int] = field(default_factory=dict)


async def read_figures(session, now: datetime) -> RelayFigures:
    """Read every figure from one snapshot, so the counters and the deliveries they counted agree.

    Call it on a fresh session: on PostgreSQL its transaction becomes REPEATABLE READ (READ COMMITTED
    would give each statement its own snapshot, and a relay committing in between would show a
    delivery counted as delivered yet still pending). The counters are read first all the same: on a
    backend without the snapshot, what is read later is at least as new as the counts.
    """
    if session.bind.dialect.name == "postgresql":
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    counters = dict((await session.execute(select(relay_counters.c.name, relay_counters.c.value))).all())
    waiting, oldest = (
        await session.execute(
            select(func.count(), func.min(outbox.c.occurred_at)).where(outbox.c.relayed_at.is_(None))
        )
    ).one()
    figures = RelayFigures(waiting=waiting)
    if oldest is not None:
        figures.oldest_waiting_seconds = max(0.0, (now - oldest).total_seconds())
    open_statuses = [DeliveryStatus.PENDING.value, DeliveryStatus.FAILED.value]
    rows = await session.execute(
        select(webhook_deliveries.c.webhook_id, webhook_deliveries.c.status, func.count())
        .where(webhook_deliveries.c.status.in_(open_statuses))
        .group_by(webhook_deliveries.c.webhook_id, webhook_deliveries.c.status)
    )
    figures.deliveries = {(hook, str(getattr(status, "value", status))): n for hook, status, n in rows}
    figures.counters = counters
    return figures
