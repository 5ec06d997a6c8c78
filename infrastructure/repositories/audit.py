"""Reading the audit log: filtered keyset pages and the walk that verifies the chain."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime

from sqlalchemy import select

from domain.identity.audit import Anchor, AuditEntry, ChainCheck, ChainedRow, ChainKey, verify_chain
from infrastructure.db.tables.identity import audit_log
from infrastructure.repositories.base import Reader

WALK_BATCH = 2000


def as_entry(row) -> AuditEntry:
    return AuditEntry(
        row.at,
        row.actor,
        row.action,
        row.resource_type,
        row.resource_id,
        row.request_id,
        row.before,
        row.after,
        row.source,
    )


class AuditLogReader(Reader):
    """Read-only: no method here changes or removes an entry."""

    async def page(
        self,
        *,
        resource_type: str | None,
        resource_id: str | None,
        actor: str | None,
        action: str | None = None,
        since: datetime | None,
        until: datetime | None,
        after: int | None,
        limit: int,
    ) -> list:
        statement = select(audit_log)
        for column, value in (
            (audit_log.c.resource_type, resource_type),
            (audit_log.c.resource_id, resource_id),
            (audit_log.c.actor, actor),
            (audit_log.c.action, action),
        ):
            if value is not None:
                statement = statement.where(column == value)
        if since is not None:
            statement = statement.where(audit_log.c.at >= since)
        if until is not None:
            statement = statement.where(audit_log.c.at < until)
        if after is not None:
            statement = statement.where(audit_log.c.id > after)
        return list((await self.session.execute(statement.order_by(audit_log.c.id).limit(limit + 1))).all())

    async def head(self) -> ChainedRow | None:
        """The newest entry."""
        row = (await self.session.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(1))).first()
        return ChainedRow(row.id, as_entry(row), row.hash, row.key_id) if row else None

    async def walk(self) -> AsyncIterator[ChainedRow]:
        """Every entry in chain order, in batches so a long log does not fill memory."""
        last = 0
        while True:
            rows = (
                await self.session.execute(
                    select(audit_log).where(audit_log.c.id > last).order_by(audit_log.c.id).limit(WALK_BATCH)
                )
            ).all()
            if not rows:
                return
            for row in rows:
                yield ChainedRow(row.id, as_entry(row), row.hash, row.key_id)
            last = rows[-1].id

    async def verify(self, keys: Mapping[str, ChainKey], anchor: Anchor | None = None) -> ChainCheck:
        """Walk the whole chain against the keys (and an anchor, when given)."""
        return verify_chain([row async for row in self.walk()], keys, anchor=anchor)
