"""The event feed: committed events in commit order, never skipping one that commits late.

Rows are served in (txid, id) order. On PostgreSQL only rows whose transaction is older than the
oldest transaction still running are served (pg_snapshot_xmin): anything that becomes visible later
has a txid at or above that horizon and so sorts after every position already handed out.

Webhook subscriptions start at their creation: on SQLite (one writer at a time, id order is commit order)
after the newest row then; on PostgreSQL at the creation's snapshot — an event belongs to the past exactly
when its transaction is visible in that snapshot. Creating a subscription takes SUBSCRIPTION_LOCK
exclusively and every fan-out takes it shared, so no fan-out can pass an event to the subscriptions it
knows while a new one is being created between that event's commit and the fan-out's.
"""

from __future__ import annotations

from sqlalchemy import and_, func, literal_column, or_, select, text

from domain.integration.webhooks import Webhook
from infrastructure.db.tables.outbox import outbox
from infrastructure.repositories.base import Reader

HORIZON = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
SUBSCRIPTION_LOCK = 0x6761_6F77  # "gaow"


def after_position(after: tuple[int, int]):
    """The rows past a feed position, in the feed's (txid, id) order."""
    txid, row_id = after
    return or_(outbox.c.txid > txid, and_(outbox.c.txid == txid, outbox.c.id > row_id))


def visible_in_snapshot(txid: int, snapshot: str) -> bool:
    """PostgreSQL's rule for a `pg_snapshot` written `xmin:xmax:xip,…`: was `txid` committed in it?"""
    xmin, xmax, running = snapshot.split(":")
    if txid < int(xmin):
        return True
    return txid < int(xmax) and str(txid) not in running.split(",")


def committed_before_start(webhook: Webhook, txid: int, row_id: int) -> bool:
    """Whether the outbox row (txid, id) was committed before the subscription started."""
    if webhook.start_snapshot is not None:
        return visible_in_snapshot(txid, webhook.start_snapshot)
    return row_id <= webhook.start_row


async def hold_subscriptions_still(session) -> None:
    """Taken by a fan-out (shared): a subscription is not created half-way through it."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": SUBSCRIPTION_LOCK})


class EventFeed(Reader):
    """Read-only access to the outbox for neighbours."""

    async def subscription_start(self) -> tuple[int, str | None]:
        """Where a subscription created in this transaction starts: (newest row, PostgreSQL snapshot)."""
        if self.session.bind.dialect.name == "postgresql":
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SUBSCRIPTION_LOCK})
            return 0, await self.session.scalar(text("SELECT pg_current_snapshot()::text"))
        return (await self.session.scalar(select(func.max(outbox.c.id)))) or 0, None

    async def read(self, *, after: tuple[int, int] | None, types: list[str] | None, limit: int) -> list:
        statement = select(outbox)
        if self.session.bind.dialect.name == "postgresql":
            statement = statement.where(outbox.c.txid < HORIZON)
        if after is not None:
            statement = statement.where(after_position(after))
        if types:
            statement = statement.where(outbox.c.type.in_(types))
        statement = statement.order_by(outbox.c.txid, outbox.c.id).limit(limit)
        return list((await self.session.execute(statement)).all())
