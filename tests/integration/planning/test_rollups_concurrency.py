"""Concurrent reports on sibling leaves (PostgreSQL: SQLite serialises writers) lose none in their parent's
stored roll-up: each writer holds the rows on its way up, so the next rolls up from what the last wrote."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from domain.identity.handlers import accounts
from domain.identity.policy import Principal
from domain.planning.handlers.reports import report_on_task
from domain.planning.handlers.rollups import rollup_differences
from domain.planning.plan import Plan
from domain.planning.tasks import Task
from domain.shared.clock import SystemClock
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

WRITERS, ROUNDS = 8, 6


async def test_sibling_reports_filed_at_once_leave_every_rollup_right(app):
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: no two reports are ever filed at once")
    factory, today = app.state.session_factory, SystemClock().today()
    async with SqlAlchemyUnitOfWork(factory, actor="test") as uow:
        department = await accounts.create_department({"name": "科技创新局"}, uow=uow)
    async with SqlAlchemyUnitOfWork(factory, actor="test") as uow:
        plan = Plan(title="并发", start_year=2021, end_year=2030)
        uow.plans.add(plan)
        await uow.flush()
        root = Task.create(plan_id=plan.id, code="1", title="重点任务")
        uow.tasks.add(root)
        await uow.flush()
        leaves = [
            Task.create(
                plan_id=plan.id,
                parent_id=root.id,
                code=f"1.{n + 1}",
                title=f"举措{n + 1}",
                lead_department_id=department.id,
                start_date=date(2021, 1, 1),
                due_date=date(2030, 12, 31),
            )
            for n in range(WRITERS)
        ]
        for leaf in leaves:
            uow.tasks.add(leaf)
        await uow.commit()
    staff = Principal(
        kind="user", id="u", name="keji", roles=frozenset({"department"}), department_id=department.id
    )

    async def file(leaf: Task, percent: int) -> None:
        body = {"period": f"{today.year}-{today.month:02d}", "percent": percent, "summary": "进展"}
        async with SqlAlchemyUnitOfWork(factory, actor="keji") as uow:
            await report_on_task(leaf.id, body, principal=staff, now=datetime.now(UTC), today=today, uow=uow)

    for round_ in range(ROUNDS):
        await asyncio.gather(*(file(leaf, (7 * n + 11 * round_) % 101) for n, leaf in enumerate(leaves)))
        async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
            assert await rollup_differences(today, uow=uow) == [], f"round {round_}"
