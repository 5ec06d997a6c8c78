"""The SQL statements an app sends while a block runs (what a test counts or looks into)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from infrastructure.db.engine import read_engine


def engines_of(app) -> list[Engine]:
    """The app's engine and, on PostgreSQL, the pool its reads run on (infrastructure/db/engine.py)."""
    engine = app.state.engine
    reads = read_engine(engine)
    return [engine.sync_engine] + ([reads.sync_engine] if reads is not None else [])


@contextmanager
def listening(app, name: str, listener) -> Iterator[None]:
    """`listener` on event `name` of every engine of the app while the block runs."""
    engines = engines_of(app)
    for engine in engines:
        event.listen(engine, name, listener)
    try:
        yield
    finally:
        for engine in engines:
            event.remove(engine, name, listener)


@contextmanager
def statements_sent(app) -> Iterator[list[str]]:
    """`with statements_sent(app) as seen:` — every statement the app's engines execute inside the block."""
    seen: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with listening(app, "before_cursor_execute", note):
        yield seen
