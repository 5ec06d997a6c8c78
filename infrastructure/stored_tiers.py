"""The stored derivations of certifications: validity intervals and each enterprise's tier on a day.

The unit of work notes, before each flush, the enterprises whose certifications or own row a write touches
(`TierKeeper.note`), and at commit rewrites their intervals and today's tier from their certifications in
the same transaction (`TierKeeper.write`): an explicit step of the unit, as infrastructure/derived.py keeps
the search text, no process-wide listener. What the rows mean is the domain's
(domain/cultivation/intervals.py); the repositories below read them back for the registry's counts, the
enterprise reads and the daily sweep's refresh, and `tier_differences` recomputes them all (`gaoxin verify`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date

from sqlalchemy import delete, func, or_, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.cultivation.facts import CertificationFacts
from domain.cultivation.intervals import (
    CertificationInterval,
    HoldingSet,
    HoldingSpan,
    Listing,
    holding_spans,
    intervals_of,
    tier_of,
)
from domain.cultivation.tiers import Tier
from infrastructure.db.tables import cultivation as t
from infrastructure.repositories.base import Reader

CHUNK = 500  # ids per IN list


class TierKeeper:
    """The enterprises a unit of work touched, whose intervals and tier it rewrites at commit."""

    def __init__(self) -> None:
        self.touched: set[str] = set()

    def note(self, objects: Iterable[object]) -> None:
        """Note the enterprises of the certifications and enterprises about to be written or deleted."""
        for obj in objects:
            if isinstance(obj, Certification):
                self.touched.add(obj.enterprise_id)
            elif isinstance(obj, Enterprise):
                self.touched.add(obj.id)

    async def write(self, session: AsyncSession, today: date) -> None:
        """Rewrite the touched enterprises' intervals and today's tier (after the last flush)."""
        if self.touched:
            touched, self.touched = sorted(self.touched), set()
            await rewrite(session, touched, today)


async def rewrite(session: AsyncSession, enterprise_ids: Sequence[str], today: date) -> None:
    """Recompute and store the intervals and the tier on `today` of these enterprises.

    Their rows are locked first (in id order; PostgreSQL), so of two transactions adding certifications to
    one enterprise at once, the later one stores the tier it sees with both. An id whose row a savepoint
    rolled back (a refused import row) is skipped.
    """
    for ids in _chunks(sorted(set(enterprise_ids))):
        e, k = t.enterprises.c, t.certifications.c
        # FOR NO KEY UPDATE: the certifications' foreign keys hold KEY SHARE locks on these rows, which a
        # plain FOR UPDATE would wait for (two writers of one enterprise would deadlock).
        locked = select(e.id, e.status).where(e.id.in_(ids)).order_by(e.id).with_for_update(key_share=True)
        status = dict((await session.execute(locked)).all())
        ids = list(status)
        if not ids:
            continue
        rows = await session.execute(
            select(
                k.id, k.enterprise_id, k.kind, k.number, k.issued_on, k.expires_on, k.revoked, k.revoked_on
            )
            .where(k.enterprise_id.in_(ids))
            .order_by(k.id)
        )
        intervals = intervals_of(CertificationFacts(*row) for row in rows)
        await session.execute(
            delete(t.certification_intervals).where(t.certification_intervals.c.enterprise_id.in_(ids))
        )
        if intervals:
            await session.execute(t.certification_intervals.insert(), [_interval_row(i) for i in intervals])
        await session.execute(delete(t.holding_spans).where(t.holding_spans.c.enterprise_id.in_(ids)))
        spans = [_span_row(span, status[span.enterprise_id]) for span in holding_spans(intervals)]
        if spans:
            await session.execute(t.holding_spans.insert(), spans)
        held: dict[str, list[CertificationInterval]] = {i: [] for i in ids}
        for interval in intervals:
            held[interval.enterprise_id].append(interval)
        await store_tiers(session, {i: tier_of(held[i], today) for i in ids}, today)


async def rebuild(session_factory: async_sessionmaker, today: date) -> int:
    """Rewrite every enterprise's intervals and today's tier, in one transaction; returns how many.

    For rows written past the unit of work (the benchmark's bulk generator) and for repairs after
    `gaoxin verify` found a difference.
    """
    async with session_factory() as session, session.begin():
        ids = list(await session.scalars(select(t.enterprises.c.id).order_by(t.enterprises.c.id)))
        await rewrite(session, ids, today)
    return len(ids)


async def store_tiers(session: AsyncSession, tiers: Mapping[str, Tier], today: date) -> None:
    """Upsert each enterprise's tier as computed for `today`."""
    if not tiers:
        return
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(t.enterprise_tiers)
    statement = statement.on_conflict_do_update(
        index_elements=[t.enterprise_tiers.c.enterprise_id],
        set_={"tier": statement.excluded.tier, "computed_for": statement.excluded.computed_for},
    )
    await session.execute(
        statement, [{"enterprise_id": i, "tier": tier, "computed_for": today} for i, tier in tiers.items()]
    )


def _interval_row(interval: CertificationInterval) -> dict[str, object]:
    return {
        "certification_id": interval.certification_id,
        "enterprise_id": interval.enterprise_id,
        "kind": interval.kind,
        "valid_from": interval.valid_from,
        "valid_until": interval.valid_until,
    }


def _span_row(span: HoldingSpan, status: EnterpriseStatus) -> dict[str, object]:
    return {
        "enterprise_id": span.enterprise_id,
        "valid_from": span.valid_from,
        "valid_until": span.valid_until,
        "kinds": _kinds_text(span.kinds),
        "enterprise_active": status == EnterpriseStatus.ACTIVE,
    }


def _kinds_text(kinds: Iterable[CertificationKind]) -> str:
    """How a span's kinds are stored: their values, sorted, comma-separated (one text to group by)."""
    return ",".join(sorted(str(kind) for kind in kinds))


def _kinds_of(text: str) -> frozenset[CertificationKind]:
    return frozenset(CertificationKind(value) for value in text.split(","))


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _interval(row) -> CertificationInterval:
    return CertificationInterval(*row)


class StoredTierReader(Reader):
    """The stored tiers and intervals, read back: never remembered, nothing to write through the ORM."""

    async def stored(self, enterprise_ids: Collection[str], on: date) -> dict[str, Tier]:
        """The stored tiers of these enterprises computed for `on` (the others are left out: compute them)."""
        s = t.enterprise_tiers.c
        found: dict[str, Tier] = {}
        for ids in _chunks(sorted(enterprise_ids)):
            rows = await self.session.execute(
                select(s.enterprise_id, s.tier).where(s.enterprise_id.in_(ids), s.computed_for == on)
            )
            found.update({enterprise_id: tier for enterprise_id, tier in rows})
        return found

    async def stale(self, today: date, *, limit: int) -> dict[str, list[CertificationInterval]]:
        """Up to `limit` enterprises whose tier was computed for another day or never, and their intervals."""
        e, s, i = t.enterprises.c, t.enterprise_tiers.c, t.certification_intervals.c
        ids = list(
            await self.session.scalars(
                select(e.id)
                .outerjoin(t.enterprise_tiers, s.enterprise_id == e.id)
                .where(or_(s.computed_for.is_(None), s.computed_for != today))
                .order_by(e.id)
                .limit(limit)
            )
        )
        held: dict[str, list[CertificationInterval]] = {enterprise_id: [] for enterprise_id in ids}
        if ids:
            rows = await self.session.execute(
                select(i.certification_id, i.enterprise_id, i.kind, i.valid_from, i.valid_until).where(
                    i.enterprise_id.in_(ids)
                )
            )
            for row in rows:
                held[row.enterprise_id].append(_interval(row))
        return held

    async def store(self, tiers: Mapping[str, Tier], today: date) -> None:
        """Store each enterprise's tier as computed for `today`."""
        await store_tiers(self.session, tiers, today)

    async def holding_sets_on(self, on: date) -> list[HoldingSet]:
        """The sets of kinds the active enterprises hold on `on`, each with its holders: the stored spans
        covering the day, grouped in the database by the index (a few dozen rows come back)."""
        h = t.holding_spans.c
        statement = (
            select(h.kinds, func.count())
            .where(
                h.enterprise_active == true(),  # `= true`, which the index serves (`IS true` it does not)
                h.valid_from <= on,
                or_(h.valid_until.is_(None), h.valid_until >= on),
            )
            .group_by(h.kinds)
        )

        async def read() -> list[HoldingSet]:
            rows = await self.session.execute(statement)
            return [HoldingSet(_kinds_of(kinds), count) for kinds, count in rows]

        return await self._once(("holding_sets", on), read)

    async def active_count(self) -> int:
        """How many enterprises are active."""
        e = t.enterprises.c
        statement = select(func.count()).where(e.status == EnterpriseStatus.ACTIVE)
        return await self._once("active_count", lambda: self.session.scalar(statement))

    async def listings(self) -> list[Listing]:
        """(listed, listed_on) of the active enterprises marked listed (the others are listed on no day)."""
        e = t.enterprises.c
        statement = select(e.listed, e.listed_on).where(
            e.status == EnterpriseStatus.ACTIVE, e.listed.is_(True)
        )

        async def read() -> list[Listing]:
            rows = await self.session.execute(statement)
            return [Listing(bool(listed), listed_on) for listed, listed_on in rows]

        return await self._once("listings", read)


async def tier_differences(session_factory: async_sessionmaker, today: date) -> list[str]:
    """Every difference between the stored intervals and tiers and those recomputed from certifications.

    A tier stored for another day than `today` is no difference (reads compute it); a missing or different
    interval, an interval of no certification, or a tier stored for today that is not today's tier is.
    """
    differences: list[str] = []
    async with session_factory() as session:
        k, i, s = t.certifications.c, t.certification_intervals.c, t.enterprise_tiers.c
        rows = await session.execute(
            select(
                k.id, k.enterprise_id, k.kind, k.number, k.issued_on, k.expires_on, k.revoked, k.revoked_on
            )
        )
        expected = {x.certification_id: x for x in intervals_of(CertificationFacts(*row) for row in rows)}
        stored = {
            row.certification_id: _interval(row)
            for row in await session.execute(
                select(i.certification_id, i.enterprise_id, i.kind, i.valid_from, i.valid_until)
            )
        }
        for certification_id in sorted(expected.keys() | stored.keys()):
            want, have = expected.get(certification_id), stored.get(certification_id)
            if want != have:
                shown = f"interval stored {_shown(have)}, recomputed {_shown(want)}"
                differences.append(f"certification {certification_id}: {shown}")
        differences += await _span_differences(session, expected.values())
        held: dict[str, list[CertificationInterval]] = {}
        for interval in expected.values():
            held.setdefault(interval.enterprise_id, []).append(interval)
        for enterprise_id, tier in await session.execute(
            select(s.enterprise_id, s.tier).where(s.computed_for == today).order_by(s.enterprise_id)
        ):
            recomputed = tier_of(held.get(enterprise_id, ()), today)
            if tier != recomputed:
                differences.append(
                    f"enterprise {enterprise_id}: tier stored for {today} {tier}, recomputed {recomputed}"
                )
    return differences


async def _span_differences(session: AsyncSession, intervals: Iterable[CertificationInterval]) -> list[str]:
    """Every stored holding span missing, extra or with another activity than the enterprise's status."""
    e = t.enterprises.c
    status = dict((await session.execute(select(e.id, e.status))).all())
    expected = {
        (span.enterprise_id, span.valid_from): _span_row(span, status[span.enterprise_id])
        for span in holding_spans(intervals)
    }
    stored = {
        (row["enterprise_id"], row["valid_from"]): dict(row)
        for row in (await session.execute(select(*t.holding_spans.c))).mappings()
    }
    differences = []
    for key in sorted(expected.keys() | stored.keys()):
        want, have = expected.get(key), stored.get(key)
        if want != have:
            enterprise_id, valid_from = key
            differences.append(
                f"enterprise {enterprise_id}: holding span from {valid_from} stored {_span_shown(have)},"
                f" recomputed {_span_shown(want)}"
            )
    return differences


def _span_shown(row: Mapping[str, object] | None) -> str:
    if row is None:
        return "none"
    until = row["valid_until"] or "open"
    active = "active" if row["enterprise_active"] else "not active"
    return f"{row['kinds']} until {until} ({active})"


def _shown(interval: CertificationInterval | None) -> str:
    if interval is None:
        return "none"
    until = interval.valid_until.isoformat() if interval.valid_until else "open"
    return (
        f"{interval.kind} {interval.valid_from.isoformat()}..{until} of enterprise {interval.enterprise_id}"
    )
