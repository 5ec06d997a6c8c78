"""The event feed: committed events in commit order, never skipping one that commits late.

Rows are served in (txid, id) order. On PostgreSQL only rows whose transaction is older than the
oldest transaction still running are served (pg_snapshot_xmin): anything that becomes visible later
has a txid at or above that horizon and so sorts after every position already handed out.
"""

from __future__ import annotations

from sqlalchemy import and_, literal_column, or_, select

from infrastructure.db.tables.outbox import outbox

HORIZON = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


class EventFeed:
    """Read-only access to the outbox for neighbours."""

    def __init__(self, session) -> None:
        self.session = session

    async def read(self, *, after: tuple[int, int] | None, types: list[str] | None, limit: int) -> list:
        statement = select(outbox)
        if self.session.bind.dialect.name == "postgresql":
            statement = statement.where(outbox.c.txid < HORIZON)
        if after is not None:
            txid, row_id = after
            statement = statement.where(
                or_(outbox.c.txid > txid, and_(outbox.c.txid == txid, outbox.c.id > row_id))
            )
        if types:
            statement = statement.where(outbox.c.type.in_(types))
        statement = statement.order_by(outbox.c.txid, outbox.c.id).limit(limit)
        return list((await self.session.execute(statement)).all())
