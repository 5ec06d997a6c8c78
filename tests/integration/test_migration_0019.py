"""Revision 0019 on a database that lived at 0018: each plan's day already stored in task_year_ends gets a
stamp of its own, so a process keeps the tree it builds from those rows, and the check finds every day
stamped; the downgrade drops the stamps and leaves the rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure.db.migrate import downgrade_async, upgrade_async
from infrastructure.db.tables import planning as t
from tests.support.databases import fresh_database

DAYS = [date(2023, 12, 31), date(2024, 12, 31)]


def _year_end(task: str, plan: str, day: date) -> dict:
    return {
        "task_id": task,
        "day": day,
        "plan_id": plan,
        "status": "in_progress",
        "due_date": None,
        "original_due_date": None,
        "urge_count": 0,
        "progress": "50",
        "warning": "green",
        "overdue": False,
        "escalation": "none",
    }


def _task(ident: str, plan: str) -> dict:
    return {
        "id": ident,
        "plan_id": plan,
        "title": ident,
        "co_department_ids": [],
        "weight": 1,
        "status": "in_progress",
        "indicator_ids": [],
        "urge_count": 0,
        "version": 1,
    }


async def test_the_days_stored_before_get_a_stamp_each(tmp_path):
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url, "0018")
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                for plan in ("p1", "p2"):
                    row = {"id": plan, "title": plan, "start_year": 2021, "end_year": 2025, "version": 1}
                    await connection.execute(insert(t.plans).values(**row))
                    await connection.execute(
                        insert(t.tasks), [_task(f"{plan}-a", plan), _task(f"{plan}-b", plan)]
                    )
                rows = [_year_end(f"p1-{x}", "p1", day) for x in "ab" for day in DAYS]
                await connection.execute(insert(t.task_year_ends), [*rows, _year_end("p2-a", "p2", DAYS[0])])
            await upgrade_async(url, "0019")
            s = t.task_year_end_stamps.c
            async with engine.connect() as connection:
                stamps = (await connection.execute(select(s.plan_id, s.day, s.stamp))).all()
            assert sorted((plan, day) for plan, day, _ in stamps) == [
                ("p1", DAYS[0]),
                ("p1", DAYS[1]),
                ("p2", DAYS[0]),
            ]
            assert len({stamp for *_, stamp in stamps}) == 3 and all(len(stamp) == 32 for *_, stamp in stamps)

            await downgrade_async(url, "0018")
            async with engine.connect() as connection:
                kept = await connection.scalar(select(func.count()).select_from(t.task_year_ends))
            assert kept == 5
        finally:
            await engine.dispose()
