"""The stored intervals and tiers, written by the unit of work with every write: always what the
certifications give (random sequences of writes through the handlers); `tier_differences` says when not."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from domain.cultivation.handlers import certifications, enterprises
from domain.cultivation.handlers.registry import tier_statistics
from domain.cultivation.intervals import holding_sets, intervals_of
from domain.cultivation.tiers import tier_on
from domain.integration.sweep import sweep
from domain.shared.clock import ZONE, FixedClock, SystemClock
from domain.shared.errors import DomainError
from infrastructure.db.tables import cultivation as t
from infrastructure.sample import load_sample
from infrastructure.seed import seed_all
from infrastructure.stored_tiers import rebuild, tier_differences
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.statements import statements_sent

KINDS = ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "specialized", "above_scale"]
FIRST = date(2021, 1, 1)


def _clock(day: date) -> FixedClock:
    return FixedClock(datetime.combine(day, time(9), ZONE).astimezone(UTC))


def _day(rng: random.Random) -> date:
    return FIRST + timedelta(days=rng.randint(0, 5 * 365))


def _hnte_number(rng: random.Random) -> str:
    return f"GR2021210{rng.randint(0, 99999):05d}"


async def _write(
    factory, rng: random.Random, today: date, enterprise_ids: list[str], held: list[tuple]
) -> None:
    """One random write through the handlers, in a unit of work whose day is `today`."""
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        choice = rng.random()
        if choice < 0.15 or not enterprise_ids:
            view = await enterprises.register_enterprise({"name": f"企业{rng.random()}"}, uow=uow)
            enterprise_ids.append(view.enterprise.id)
        elif choice < 0.6 or not held:
            kind = rng.choice(KINDS)
            data = {"kind": kind, "issued_on": _day(rng)}
            if kind in ("eaglet", "gazelle", "unicorn"):
                data["expires_on"] = data["issued_on"] + timedelta(days=rng.randint(0, 900))
            if kind == "hnte":
                data["number"] = _hnte_number(rng)
            enterprise_id = rng.choice(enterprise_ids)
            added = await certifications.add_certification(enterprise_id, data, uow=uow, today=today)
            held.append((enterprise_id, added.id, added.issued_on))
        elif choice < 0.8:
            enterprise_id, certification_id, issued_on = rng.choice(held)
            revocation = {"revoked": True, "revoked_on": issued_on + timedelta(days=rng.randint(0, 800))}
            with suppress(DomainError):  # revoked already: a refused write changes nothing
                await certifications.change_certification(
                    enterprise_id, certification_id, revocation | {"reason": "撤销"}, uow=uow, today=today
                )
        elif choice < 0.9:
            enterprise_id, certification_id, _ = rng.choice(held)
            with suppress(DomainError):  # e.g. a given expiry now before the issue date
                await certifications.change_certification(
                    enterprise_id, certification_id, {"issued_on": _day(rng)}, uow=uow, today=today
                )
        else:
            await enterprises.change_enterprise(
                rng.choice(enterprise_ids),
                {"status": rng.choice(["active", "moved_out"])},
                uow=uow,
                today=today,
            )


async def _recomputed(factory, today: date) -> dict[str, str]:
    """Each enterprise's tier on `today` from its certifications (the domain's rule, not the intervals)."""
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        ids = list(await uow.session.scalars(select(t.enterprises.c.id)))
        held = await uow.certifications.of_enterprises(ids)
        return {i: tier_on(held.get(i, ()), today) for i in ids}


async def _holding_sets(factory, on: date) -> Counter:
    """The sets of kinds the active enterprises hold on `on`, as the database groups the stored spans."""
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        return Counter(dict(await uow.stored_tiers.holding_sets_on(on)))


async def _holding_sets_recomputed(factory, on: date) -> Counter:
    """The same from the certifications and the enterprises' status (the domain's rules)."""
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        active = list(
            await uow.session.scalars(select(t.enterprises.c.id).where(t.enterprises.c.status == "active"))
        )
        held = await uow.certifications.of_enterprises(active)
        pairs = [
            (i.enterprise_id, i.kind)
            for i in intervals_of(c for cs in held.values() for c in cs)
            if i.covers(on)
        ]
        return Counter(dict(holding_sets(pairs)))


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_writes_and_days_leave_stored_equal_to_recomputed(app, seed):
    factory, rng = app.state.session_factory, random.Random(seed)
    enterprise_ids: list[str] = []
    held: list[tuple] = []
    for _ in range(40):
        today = _day(rng)
        await _write(factory, rng, today, enterprise_ids, held)
        assert await tier_differences(factory, today) == []
        assert await _holding_sets(factory, today) == await _holding_sets_recomputed(factory, today)
        if rng.random() < 0.15:  # a sweep on a later day stores every tier for that day
            later = today + timedelta(days=rng.randint(1, 400))
            async with SqlAlchemyUnitOfWork(factory) as uow:
                await sweep(uow, later)
            assert await tier_differences(factory, later) == []
            async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
                stored = await uow.stored_tiers.stored(enterprise_ids, later)
            assert stored == await _recomputed(factory, later)


async def test_every_write_stores_the_tier_of_its_day_and_the_read_agrees(app):
    factory, today = app.state.session_factory, date(2024, 6, 1)
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        enterprise_id = (await enterprises.register_enterprise({"name": "鞍钢"}, uow=uow)).enterprise.id
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        assert await uow.stored_tiers.stored([enterprise_id], today) == {enterprise_id: "none"}
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        data = {"kind": "gazelle", "issued_on": date(2024, 1, 1), "expires_on": date(2026, 12, 31)}
        await certifications.add_certification(enterprise_id, data, uow=uow, today=today)
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        assert await uow.stored_tiers.stored([enterprise_id], today) == {enterprise_id: "gazelle"}
        view = await enterprises.enterprise_view(enterprise_id, uow=uow, today=today)
        assert view.tier == "gazelle"
        # another day has no stored tier: it is derived, from the same certifications
        assert await uow.stored_tiers.stored([enterprise_id], date(2027, 1, 1)) == {}
        assert (
            await enterprises.enterprise_view(enterprise_id, uow=uow, today=date(2027, 1, 1))
        ).tier == "none"


async def test_the_check_names_each_stored_row_that_differs(app):
    factory, today = app.state.session_factory, date(2024, 6, 1)
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        enterprise_id = (await enterprises.register_enterprise({"name": "鞍钢"}, uow=uow)).enterprise.id
        data = {"kind": "hnte", "issued_on": date(2023, 3, 1), "number": "GR202321000123"}
        certification = await certifications.add_certification(enterprise_id, data, uow=uow, today=today)
    assert await tier_differences(factory, today) == []
    async with factory() as session, session.begin():
        i, s = t.certification_intervals, t.enterprise_tiers
        await session.execute(update(i).values(valid_until=date(2024, 1, 1)))
        await session.execute(update(s).values(tier="platform"))
    found = await tier_differences(factory, today)
    assert len(found) == 2
    assert found[0].startswith(
        f"certification {certification.id}: interval stored hnte 2023-03-01..2024-01-01"
    )
    assert found[0].endswith("recomputed hnte 2023-03-01..2026-02-28 of enterprise " + enterprise_id)
    assert found[1] == f"enterprise {enterprise_id}: tier stored for 2024-06-01 platform, recomputed hnte"


async def test_the_seed_and_the_sample_leave_every_interval_and_tier_stored(app):
    factory, today = app.state.session_factory, SystemClock().today()
    await seed_all(factory)
    assert await load_sample(factory, hasher=app.state.hasher, today=today, now=datetime.now(UTC))
    async with factory() as session:
        held = (await session.execute(select(func.count()).select_from(t.certifications))).scalar_one()
        intervals = (
            await session.execute(select(func.count()).select_from(t.certification_intervals))
        ).scalar_one()
        stored = set(await session.scalars(select(t.enterprise_tiers.c.enterprise_id)))
        registered = set(await session.scalars(select(t.enterprises.c.id)))
    assert intervals > 0 and intervals <= held
    assert stored == registered  # every enterprise the seed registered has today's tier stored
    assert await tier_differences(factory, today) == []


async def test_two_certifications_written_at_once_for_one_enterprise_leave_the_tier_of_both(app):
    """Each write rewrites the tier under a lock of the enterprise's row: the later one sees both."""
    factory, today = app.state.session_factory, date(2024, 6, 1)
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        enterprise_id = (await enterprises.register_enterprise({"name": "鞍钢"}, uow=uow)).enterprise.id

    async def add(kind: str) -> None:
        data = {"kind": kind, "issued_on": date(2024, 1, 1), "expires_on": date(2026, 12, 31)}
        async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
            await certifications.add_certification(enterprise_id, data, uow=uow, today=today)

    for _ in range(3):
        await asyncio.gather(add("eaglet"), add("gazelle"), add("unicorn"))
    assert await tier_differences(factory, today) == []
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        assert await uow.stored_tiers.stored([enterprise_id], today) == {enterprise_id: "unicorn"}


async def test_rows_written_past_the_unit_of_work_are_found_and_rebuilt(app):
    """The benchmark's generator inserts certifications in bulk: the check names them; a rebuild fixes it."""
    factory, today = app.state.session_factory, date(2024, 6, 1)
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        enterprise_id = (await enterprises.register_enterprise({"name": "鞍钢"}, uow=uow)).enterprise.id
    async with factory() as session, session.begin():
        row = {
            "id": "c" * 32,
            "enterprise_id": enterprise_id,
            "kind": "platform",
            "revoked": False,
            "version": 1,
        }
        await session.execute(insert(t.certifications).values(issued_on=date(2022, 1, 1), **row))
    [missing, span, stale] = await tier_differences(factory, today)
    recomputed = f"recomputed platform 2022-01-01..open of enterprise {enterprise_id}"
    assert missing == f"certification {'c' * 32}: interval stored none, {recomputed}"
    assert span == (
        f"enterprise {enterprise_id}: holding span from 2022-01-01 stored none,"
        " recomputed platform until open (active)"
    )
    assert stale == f"enterprise {enterprise_id}: tier stored for 2024-06-01 none, recomputed platform"
    assert await rebuild(factory, today) == 1
    assert await tier_differences(factory, today) == []


async def test_a_list_for_the_day_stored_reads_no_certification(app):
    """The registry list for the day its tiers were stored takes them (no certification read); for another
    day it derives them from the certifications."""
    factory, today = app.state.session_factory, date(2024, 6, 1)
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        enterprise_id = (await enterprises.register_enterprise({"name": "鞍钢"}, uow=uow)).enterprise.id
        data = {"kind": "hnte", "issued_on": date(2023, 3, 1), "number": "GR202321000123"}
        await certifications.add_certification(enterprise_id, data, uow=uow, today=today)
    statements: dict[date, list[str]] = {}
    for day in (today, today + timedelta(days=1)):
        with statements_sent(app) as statements[day]:
            async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
                [view] = await enterprises.list_enterprises({}, uow=uow, today=day, after=None, limit=10)
                assert (view.enterprise.id, view.tier) == (enterprise_id, "hnte")
    assert not any("FROM certifications" in s for s in statements[today])
    assert any("FROM certifications" in s for s in statements[today + timedelta(days=1)])  # derived from them


async def test_a_read_unit_counts_the_holders_of_a_day_once_and_a_write_unit_each_time(app):
    """The evaluation counts the registry on 31 December for its indicators and again for its pyramid: a read
    unit of work (which writes nothing) asks the database once; a write unit, whose own writes may change
    the answer, asks each time."""
    factory, today = app.state.session_factory, date(2025, 6, 1)
    year_end = date(2025, 12, 31)
    async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
        enterprise_id = (await enterprises.register_enterprise({"name": "鞍钢"}, uow=uow)).enterprise.id
        data = {"kind": "hnte", "issued_on": date(2025, 3, 1), "number": "GR202521000123"}
        await certifications.add_certification(enterprise_id, data, uow=uow, today=today)
    with statements_sent(app) as read:
        async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
            pyramid = await tier_statistics(year_end, today=today, uow=uow)
            counts, _ = await uow.live_indicators.tally(2025)
    assert sum("FROM holding_spans" in s for s in read) == 1
    assert counts[8] == pyramid["by_designation"]["hnte"] == pyramid["by_tier"]["hnte"] == 1
    with statements_sent(app) as written:
        async with SqlAlchemyUnitOfWork(factory, actor="test", clock=_clock(today)) as uow:
            await uow.live_indicators.tally(2025)
            await uow.live_indicators.tally(2025)
    assert sum("FROM holding_spans" in s for s in written) == 2
