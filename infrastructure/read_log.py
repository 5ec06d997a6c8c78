"""The audit of sensitive reads (the `RecordReads` port of domain/cultivation/sensitive.py): entries that must
last even when the request only reads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.cultivation.sensitive import AUDIT_ACTION, RecordReads, SensitiveRead
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


def _append(uow: SqlAlchemyUnitOfWork, reads: Sequence[SensitiveRead]) -> None:
    for read in reads:
        uow.audit(AUDIT_ACTION, "enterprise", read.enterprise_id, fields=list(read.fields), **read.details)


def read_log(uow: SqlAlchemyUnitOfWork, session_factory: async_sessionmaker) -> RecordReads:
    """The RecordReads port for this request: the entries are committed before the answer leaves.

    A write request, and any request on PostgreSQL, commits them in its own unit of work. A GET on
    SQLite reads in a deferred transaction that must not turn into a writer (BEGIN IMMEDIATE is taken
    at the start), so the entries go through a separate write unit of work.
    """

    async def record(reads: Sequence[SensitiveRead]) -> None:
        if not reads:
            return
        if uow.write or uow.session.bind.dialect.name == "postgresql":
            _append(uow, reads)
            await uow.commit()
            return
        async with SqlAlchemyUnitOfWork(
            session_factory, actor=uow.actor, request_id=uow.request_id
        ) as writer:
            _append(writer, reads)
            await writer.commit()

    return record
