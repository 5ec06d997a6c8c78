"""The rows of one hot read: on PostgreSQL fetched by asyncpg itself, compiled by SQLAlchemy once.

SQLAlchemy's asynchronous execution of a statement costs about 0.13 ms of CPU over asyncpg's own on the
project's machine (greenlet hand-offs, the execution context, the cursor adapter; docs/BENCHMARKS.md) — more
than asyncpg spends on the statement. For the reads a request makes most (one enterprise with what its tier
needs), `rows_of` keeps everything SQLAlchemy decides and skips only that layer:

- the statement is compiled by SQLAlchemy for the dialect, once, and asyncpg prepares and caches it per
  connection as it does its own statements;
- it runs on the unit's own connection once its session holds one; before that (a read unit that has not
  read yet: GET one's only statement) on a connection of the same pool checked out for the statement alone
  and given back at once (`AUTOCOMMIT_READ`), which spares the session the transaction it would begin and
  close around it — about a tenth of GET one's CPU (docs/BENCHMARKS.md);
- each value goes through the result processor SQLAlchemy itself would apply (enums, stored decimals, times),
  found once from the types of the statement's columns and the type PostgreSQL reports for each.

If the driver fails in any way, the statement runs again through SQLAlchemy, which tells a dead connection
from a failed statement, takes the dead one out of the pool and raises what the error layer knows (a read is
safe to run twice). SQLite has no such layer to skip: there the statement always runs through SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util.concurrency import greenlet_spawn

Processor = Callable[[Any], Any]
# session.info key, set by a unit of work whose session reads on the autocommit read pool: each statement
# stands alone there, so one may run on any connection of that pool, not only the session's.
AUTOCOMMIT_READ = "gaoxin.autocommit_read"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    parameters: tuple[str, ...]  # the names of the bound parameters, in the order of $1, $2, …
    # (column index, processor) of each result column that has one, found at the first run; most have none
    processors: tuple[tuple[int, Processor], ...] | None = None


# Keyed by the statement object (the hot reads are module constants) and the dialect's name.
_COMPILED: dict[tuple[int, str], _Compiled] = {}


async def rows_of(session: AsyncSession, statement: Select, parameters: Mapping[str, Any]) -> list[Sequence]:
    """The rows of `statement` with `parameters`, each value as SQLAlchemy would give it."""
    dialect = session.bind.dialect
    if dialect.name != "postgresql":
        return (await session.execute(statement, parameters)).all()
    # A failure to check a connection out is SQLAlchemy's own, raised as it is.
    apart = await session.bind.raw_connection() if _may_read_apart(session) else None
    if apart is not None:
        driver = apart.driver_connection
    else:
        driver = (await session.connection()).sync_connection.connection.driver_connection  # no I/O here
    compiled = _compiled(statement, dialect)
    try:
        if compiled.processors is None:
            compiled = await _with_processors(compiled, statement, dialect, driver)
        records = await driver.fetch(compiled.sql, *(parameters[name] for name in compiled.parameters))
    except BaseException as failed:
        if apart is not None:  # closed, not given back: its state is unknown (a cancelled fetch too)
            await greenlet_spawn(apart.invalidate)  # which also gives the pool back its (emptied) place
        if not isinstance(failed, Exception):
            raise
        # any driver failure: SQLAlchemy's own way decides what it was (see the docstring)
        return (await session.execute(statement, parameters)).all()
    if apart is not None:
        await greenlet_spawn(apart.close)  # in a greenlet: a pool disposed meanwhile closes the connection
    return [_processed(record, compiled.processors) for record in records]


def _processed(record: Sequence, processors: tuple[tuple[int, Processor], ...]) -> tuple:
    """A record's values, each column that has a processor through it (the others as the driver gave them)."""
    if not processors:
        return tuple(record)
    values = list(record)
    for index, process in processors:
        values[index] = process(values[index])
    return tuple(values)


def _may_read_apart(session: AsyncSession) -> bool:
    """Whether the statement may run on a connection of its own: the session reads on the autocommit pool
    and holds no connection yet (once it does, its statements run there, one connection a unit)."""
    return bool(session.info.get(AUTOCOMMIT_READ)) and not session.in_transaction()


def _compiled(statement: Select, dialect: Dialect) -> _Compiled:
    key = (id(statement), dialect.name)
    found = _COMPILED.get(key)
    if found is None:
        sql = statement.compile(dialect=dialect)
        found = _COMPILED[key] = _Compiled(str(sql), tuple(sql.positiontup or ()))
    return found


async def _with_processors(compiled: _Compiled, statement: Select, dialect: Dialect, driver) -> _Compiled:
    """The compiled statement with SQLAlchemy's result processor of each column, for the column types
    PostgreSQL reports (a numeric column's processor depends on it)."""
    reported = (await driver.prepare(compiled.sql)).get_attributes()
    columns = list(statement.selected_columns)
    found_processors = (
        column.type.dialect_impl(dialect).result_processor(dialect, attribute.type.oid)
        for column, attribute in zip(columns, reported, strict=True)
    )
    processors = tuple((index, p) for index, p in enumerate(found_processors) if p is not None)
    found = _COMPILED[id(statement), dialect.name] = _Compiled(compiled.sql, compiled.parameters, processors)
    return found
