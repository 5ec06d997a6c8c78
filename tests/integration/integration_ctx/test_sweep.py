"""The daily sweep: expiring certifications, lapsed tiers and overdue tasks, each announced once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.planning.plan import Plan
from domain.planning.tasks import Task, TaskStatus
from domain.shared.clock import FixedClock
from domain.shared.ids import new_id
from infrastructure.db.tables.integration import idempotency_keys, relay_counters
from infrastructure.db.tables.outbox import outbox
from infrastructure.idempotency import KEEP_FOR
from infrastructure.outbox import monitor
from infrastructure.stored_tiers import tier_differences
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.worker.sweep import DailySweep

TODAY = date(2024, 6, 1)


async def _events(app, kind: str) -> list:
    async with app.state.session_factory() as session:
        return list((await session.execute(select(outbox).where(outbox.c.type == kind))).all())


async def _setup(app) -> None:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        plan = Plan(title="规划", start_year=2021, end_year=2025)
        enterprise = Enterprise(name="九夷锂能")
        uow.session.add_all([plan, enterprise])
        await uow.flush()
        uow.session.add_all(
            [
                # hnte issued 2021-05-20: valid through 2024-05-19, so on 2024-05-20 the tier fell to tech_sme
                Certification(
                    enterprise_id=enterprise.id,
                    kind="hnte",
                    issued_on=date(2021, 5, 20),
                    number="GR202121000123",
                ),
                Certification(enterprise_id=enterprise.id, kind="tech_sme", issued_on=date(2024, 1, 10)),
                # 专精特新 valid through 2024-07-31, 60 days after TODAY: announced as expiring
                Certification(enterprise_id=enterprise.id, kind="specialized", issued_on=date(2021, 8, 1)),
                Task(
                    plan_id=plan.id,
                    title="逾期任务",
                    code="9",
                    start_date=date(2021, 1, 1),
                    due_date=TODAY - timedelta(days=3),
                    status=TaskStatus.IN_PROGRESS,
                ),
                Task(
                    plan_id=plan.id,
                    title="已完成",
                    code="8",
                    start_date=date(2021, 1, 1),
                    due_date=TODAY - timedelta(days=3),
                    status=TaskStatus.COMPLETED,
                ),
            ]
        )
        await uow.commit()


async def test_each_time_caused_event_is_emitted_once_even_when_swept_twice(app):
    await _setup(app)
    sweep = DailySweep(app.state.session_factory)
    first = await sweep.run(TODAY)
    again = await sweep.run(TODAY)
    after_downtime = await sweep.run(TODAY + timedelta(days=5))
    assert first == 3 and again == 0 and after_downtime == 0
    expiring = await _events(app, "certification.expiring")
    assert len(expiring) == 1 and expiring[0].data["days_left"] == 60
    lapsed = await _events(app, "enterprise.tier_changed")
    assert len(lapsed) == 1
    assert lapsed[0].data["date"] == "2024-05-20" and lapsed[0].data["to"] == "tech_sme"
    overdue = await _events(app, "task.overdue")
    assert [e.data["title"] for e in overdue] == ["逾期任务"]


async def test_a_sweep_after_a_long_downtime_catches_up(app):
    await _setup(app)
    emitted = await DailySweep(app.state.session_factory).run(date(2024, 12, 18))
    # missed in June and still announced: the hnte lapse; now due: tech_sme ends in 13 days; the overdue task
    assert emitted == 3
    assert [e.data["date"] for e in await _events(app, "enterprise.tier_changed")] == ["2024-05-20"]
    assert [e.data["days_left"] for e in await _events(app, "certification.expiring")] == [13]


async def test_two_sweepers_at_once_announce_each_event_once(app):
    await _setup(app)
    factory = app.state.session_factory
    emitted = await asyncio.gather(DailySweep(factory).run(TODAY), DailySweep(factory).run(TODAY))
    assert sum(emitted) == 3
    for kind in ("certification.expiring", "enterprise.tier_changed", "task.overdue"):
        assert len(await _events(app, kind)) == 1


async def test_the_scheduler_cleans_up_after_the_sweep_and_notes_when_it_ran(app):
    now = datetime.now(UTC)
    async with app.state.session_factory() as session:
        for key, age in (("old", KEEP_FOR + timedelta(hours=1)), ("fresh", timedelta(hours=1))):
            await session.execute(
                insert(idempotency_keys).values(
                    id=new_id(),
                    caller="c",
                    key=key,
                    request_hash="h",
                    state="completed",
                    created_at=now - age,
                )
            )
        await session.commit()
    await DailySweep(app.state.session_factory).run(TODAY)
    async with app.state.session_factory() as session:
        assert list(await session.scalars(select(idempotency_keys.c.key))) == ["fresh"]
        ran = await session.scalar(
            select(relay_counters.c.value).where(relay_counters.c.name == monitor.LAST_SWEEP)
        )
    assert ran >= int(now.timestamp())


async def test_the_sweep_stores_the_tier_a_lapse_changed_overnight(app):
    """Written on 19 May 2024 (the hnte's last valid day) the stored tier is hnte; the sweep of 20 May
    stores tech_sme for that day, and the stored rows agree with those recomputed from certifications."""
    clock = FixedClock(datetime(2024, 5, 19, 4, tzinfo=UTC))
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test", clock=clock) as uow:
        enterprise = Enterprise(name="九夷锂能")
        uow.session.add(enterprise)
        await uow.flush()
        hnte = dict(kind="hnte", issued_on=date(2021, 5, 20), number="GR202121000123")
        uow.session.add(Certification(enterprise_id=enterprise.id, **hnte))
        uow.session.add(
            Certification(enterprise_id=enterprise.id, kind="tech_sme", issued_on=date(2024, 1, 10))
        )
        await uow.commit()
        enterprise_id = enterprise.id
    lapse = date(2024, 5, 20)
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        assert await uow.stored_tiers.stored([enterprise_id], lapse - timedelta(days=1)) == {
            enterprise_id: "hnte"
        }
        assert await uow.stored_tiers.stored([enterprise_id], lapse) == {}
    await DailySweep(app.state.session_factory).run(lapse)
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        assert await uow.stored_tiers.stored([enterprise_id], lapse) == {enterprise_id: "tech_sme"}
    assert await tier_differences(app.state.session_factory, lapse) == []
