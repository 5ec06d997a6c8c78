"""Revision 0009 on a database that lived at 0007: tasks past not_started get their moves back from the
outbox's task.status_changed events, or one dated move marked migrated; the seeded plan's indicator notes
are filled; a stored `listed: false` becomes "not known"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from alembic.script import ScriptDirectory
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from domain.planning.history import TaskHistory, status_as_of
from domain.shared.clock import SystemClock
from infrastructure.db.migrate import alembic_config, downgrade_async, upgrade_async
from infrastructure.db.tables import cultivation as c
from infrastructure.db.tables import planning as t
from infrastructure.db.tables.outbox import outbox
from infrastructure.seed.planning import load
from tests.support.databases import fresh_database

SEEDED = load()["plan"]["title"]
revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision("0009").module
AT = datetime(2022, 3, 1, 2, tzinfo=UTC)


def _task(ident: str, plan_id: str, status: str) -> dict:
    return {
        "id": ident,
        "plan_id": plan_id,
        "title": ident,
        "co_department_ids": [],
        "indicator_ids": [],
        "weight": Decimal(1),
        "status": status,
        "urge_count": 0,
        "version": 1,
    }


def _moved(
    subject: str, seq: int, frm: str, to: str, action: str, on: str, reason: str | None = None
) -> dict:
    return {
        "event_id": f"e-{subject}-{seq}",
        "txid": 0,
        "type": "task.status_changed",
        "subject_type": "task",
        "subject_id": subject,
        "data": {"from": frm, "to": to, "action": action, "reason": reason, "on": on},
        "occurred_at": AT,
    }


async def _rows_at_0007(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        plans = [
            {"id": "p1", "title": SEEDED, "start_year": 2021, "end_year": 2025, "version": 1},
            {"id": "p2", "title": "另一规划", "start_year": 2021, "end_year": 2025, "version": 1},
        ]
        await connection.execute(insert(t.plans), plans)
        indicator = {
            "area": "经济发展",
            "name": "地区生产总值",
            "unit": "亿元",
            "baseline_year": 2020,
            "target_year": 2025,
            "target_value": Decimal(147),
            "nature": "expected",
            "direction": "up",
            "version": 1,
        }
        await connection.execute(
            insert(t.indicators),
            [
                indicator | {"id": "i2", "plan_id": "p1", "code": 2},
                indicator | {"id": "i3", "plan_id": "p1", "code": 3},
                indicator | {"id": "j2", "plan_id": "p2", "code": 2},
            ],
        )
        await connection.execute(
            insert(t.tasks),
            [
                _task("events", "p1", "completed"),  # every move in the outbox
                _task("nothing", "p1", "completed"),  # no event at all
                _task("partly", "p1", "suspended"),  # the events stop at in_progress
                _task("waiting", "p1", "not_started"),
            ],
        )
        await connection.execute(
            insert(outbox),
            [
                _moved("events", 1, "not_started", "in_progress", "start", "2021-05-01"),
                _moved("partly", 1, "not_started", "in_progress", "start", "2022-01-10"),
                _moved("events", 2, "in_progress", "completed", "complete", "2023-06-30"),
                _moved("deleted-task", 1, "not_started", "in_progress", "start", "2022-01-10"),
                {**_moved("events", 9, "x", "y", "z", "2099-01-01"), "type": "task.created"},  # no move
            ],
        )
        enterprise = {"aliases": [], "search_text": "", "status": "active", "version": 1}
        await connection.execute(
            insert(c.enterprises),
            [
                enterprise | {"id": "unsaid", "name": "甲", "listed": False},
                enterprise | {"id": "listed", "name": "乙", "listed": True, "listed_on": date(2011, 1, 11)},
            ],
        )
    await engine.dispose()


async def test_0009_rebuilds_moves_fills_notes_and_unknowns_listing(tmp_path):
    async with fresh_database(tmp_path, "history") as url:
        await upgrade_async(url, "0007")
        await _rows_at_0007(url)
        await upgrade_async(url, "0009")
        migration_day = SystemClock().today()
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                rows = (await connection.execute(select(t.task_transitions))).all()
                notes = dict((await connection.execute(select(t.indicators.c.id, t.indicators.c.note))).all())
                listed = dict(
                    (await connection.execute(select(c.enterprises.c.id, c.enterprises.c.listed))).all()
                )
        finally:
            await engine.dispose()
        moves: dict[str, list] = {}
        for row in sorted(rows, key=lambda r: (r.task_id, r.seq)):
            moves.setdefault(row.task_id, []).append(row)
        assert sorted(moves) == ["events", "nothing", "partly"]  # not the unstarted task, not the deleted one
        assert [(m.seq, m.action, m.from_status, m.to_status, m.on, m.migrated) for m in moves["events"]] == [
            (1, "start", "not_started", "in_progress", date(2021, 5, 1), False),
            (2, "complete", "in_progress", "completed", date(2023, 6, 30), False),
        ]
        assert [(m.action, m.from_status, m.to_status, m.on, m.migrated) for m in moves["nothing"]] == [
            ("complete", "not_started", "completed", migration_day, True)
        ]
        assert "migrated" in moves["nothing"][0].reason
        assert [(m.action, m.to_status, m.on, m.migrated) for m in moves["partly"]] == [
            ("start", "in_progress", date(2022, 1, 10), False),
            ("suspend", "suspended", migration_day, True),
        ]
        history = TaskHistory(moves["events"])  # the rebuilt moves answer "as of" reads
        assert [status_as_of(history.moves, d) for d in (date(2023, 6, 29), date(2023, 6, 30))] == [
            "in_progress",
            "completed",
        ]
        assert notes == {"i2": revision.SEEDED_NOTES[2], "i3": None, "j2": None}  # the seeded plan's only
        assert listed == {"unsaid": None, "listed": True}
        await downgrade_async(url, "0007")  # and back: "not known" is false again
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                back = dict(
                    (await connection.execute(select(c.enterprises.c.id, c.enterprises.c.listed))).all()
                )
        finally:
            await engine.dispose()
        assert back == {"unsaid": False, "listed": True}


def test_the_migration_fills_the_notes_the_seed_gives():
    """Every note the seed writes, for the databases seeded before indicators kept notes."""
    seeded = {row["code"]: row["note"] for row in load()["indicators"] if row.get("note")}
    assert seeded == revision.SEEDED_NOTES
