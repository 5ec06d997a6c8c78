"""Repositories of the cultivation context, and the registry counts the planning context reads."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Numeric, String, bindparam, cast, exists, false, func, select, type_coerce

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.cultivation.facts import CertificationFacts, EnterpriseFacts
from domain.cultivation.intervals import live_counts
from domain.cultivation.metrics import AMOUNT_FIELDS, AnnualMetrics
from domain.cultivation.pools import PoolKind, PoolMembership
from infrastructure.db.driver_reads import rows_of
from infrastructure.db.tables import chains as c
from infrastructure.db.tables import cultivation as t
from infrastructure.db.tables import planning as p
from infrastructure.derived import SEARCH_SEPARATOR
from infrastructure.repositories.base import Reader, Repository, detached
from infrastructure.stored_tiers import StoredTierReader


def like_pattern(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching `text` anywhere, its %, _ and \\ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# GET one enterprise's statement, built once: its structure's cache key is computed once too, and the
# compiled form and the connection's prepared statement are found by it (one statement, nothing rebuilt).
_ENTERPRISE_FIELDS = [column.name for column in t.enterprises.c]
_CERTIFICATION_FIELDS = [column.name for column in t.certifications.c]
_WITH_CERTIFICATIONS = (
    select(t.enterprises, *[c.label(f"certification_{c.name}") for c in t.certifications.c])
    .outerjoin(t.certifications, t.certifications.c.enterprise_id == t.enterprises.c.id)
    .where(t.enterprises.c.id == bindparam("enterprise_id"))
    .order_by(t.certifications.c.issued_on, t.certifications.c.id)
)


class EnterpriseRepository(Repository):
    entity = Enterprise

    async def by_name(self, name: str) -> Enterprise | None:
        return await self._one(select(Enterprise).where(Enterprise.name == name))

    async def by_credit_code(self, code: str) -> Enterprise | None:
        return await self._one(select(Enterprise).where(Enterprise.credit_code == code))

    async def with_certifications(self, enterprise_id: str) -> tuple[Enterprise, list[Certification]] | None:
        """The enterprise and every certification of it (by issue date) in one statement, built from plain
        rows: what a read shows is never written back, so it skips the session's identity map."""
        rows = await rows_of(self.session, _WITH_CERTIFICATIONS, {"enterprise_id": enterprise_id})
        if not rows:
            return None
        split = len(t.enterprises.c)
        enterprise = detached(Enterprise, dict(zip(_ENTERPRISE_FIELDS, rows[0][:split], strict=True)))
        certifications = [
            detached(Certification, dict(zip(_CERTIFICATION_FIELDS, row[split:], strict=True)))
            for row in rows
            if row[split] is not None  # the outer join's row of an enterprise without any
        ]
        return enterprise, certifications

    async def search(
        self,
        filters: dict[str, Any],
        *,
        after: str | None,
        limit: int,
        holding: Sequence[Collection[str]] = (),
        listed_only: bool = False,
    ) -> list[Enterprise]:
        """Up to `limit` enterprises in id order after `after`: cluster, status, pool (open membership),
        chain_id (linked to a node of it), q; optionally only holders, for each group of kinds in
        `holding`, of a certification of one of them (valid or not: validity is the domain's to decide)."""
        e = t.enterprises.c
        statement = select(Enterprise)
        for name in ("cluster", "status"):
            if filters.get(name) is not None:
                statement = statement.where(e[name] == filters[name])
        if filters.get("pool") is not None:
            m = t.pool_memberships.c
            statement = statement.where(
                exists().where(
                    m.enterprise_id == e.id, m.pool == PoolKind(filters["pool"]), m.left_on.is_(None)
                )
            )
        if filters.get("chain_id") is not None:
            linked = select(c.node_links.c.enterprise_id).join(
                c.nodes, c.nodes.c.id == c.node_links.c.node_id
            )
            statement = statement.where(e.id.in_(linked.where(c.nodes.c.chain_id == filters["chain_id"])))
        if filters.get("q"):
            q = filters["q"]
            # Names, aliases and codes are searched one at a time: a line break is only ever between two.
            matched = false() if SEARCH_SEPARATOR in q else e.search_text.like(like_pattern(q), escape="\\")
            statement = statement.where(matched)
        k = t.certifications.c
        for kinds in holding:
            statement = statement.where(exists().where(k.enterprise_id == e.id, k.kind.in_(sorted(kinds))))
        if listed_only:
            statement = statement.where(e.listed.is_(True))
        if after is not None:
            statement = statement.where(e.id > after)
        return await self._all(statement.order_by(e.id).limit(limit))


class CertificationRepository(Repository):
    entity = Certification

    async def of_enterprise(self, enterprise_id: str) -> list[Certification]:
        statement = select(Certification).where(Certification.enterprise_id == enterprise_id)
        return await self._all(statement.order_by(Certification.issued_on, Certification.id))

    async def of_enterprises(self, ids: Sequence[str]) -> dict[str, list[Certification]]:
        """The certifications of many enterprises in one query, by enterprise id."""
        grouped: dict[str, list[Certification]] = {}
        if ids:
            statement = select(Certification).where(Certification.enterprise_id.in_(list(ids)))
            for certification in await self._all(statement.order_by(Certification.id)):
                grouped.setdefault(certification.enterprise_id, []).append(certification)
        return grouped

    async def page_of(self, enterprise_id: str, *, after: str | None, limit: int) -> list[Certification]:
        statement = select(Certification).where(Certification.enterprise_id == enterprise_id)
        return await self.page(statement, after=after, limit=limit)


class AnnualMetricsRepository(Repository):
    entity = AnnualMetrics

    async def of_enterprise(self, enterprise_id: str) -> list[AnnualMetrics]:
        statement = select(AnnualMetrics).where(AnnualMetrics.enterprise_id == enterprise_id)
        return await self._all(statement.order_by(AnnualMetrics.year))

    async def one(self, enterprise_id: str, year: int) -> AnnualMetrics | None:
        statement = select(AnnualMetrics).where(
            AnnualMetrics.enterprise_id == enterprise_id, AnnualMetrics.year == year
        )
        return await self._one(statement)

    async def page_of(self, enterprise_id: str, *, after: int | None, limit: int) -> list[AnnualMetrics]:
        """limit + 1 records in year order (the keyset is the year)."""
        statement = select(AnnualMetrics).where(AnnualMetrics.enterprise_id == enterprise_id)
        if after is not None:
            statement = statement.where(AnnualMetrics.year > after)
        return await self._all(statement.order_by(AnnualMetrics.year).limit(limit + 1))


class PoolMembershipRepository(Repository):
    entity = PoolMembership

    async def of_enterprise(self, enterprise_id: str) -> list[PoolMembership]:
        statement = select(PoolMembership).where(PoolMembership.enterprise_id == enterprise_id)
        return await self._all(statement.order_by(PoolMembership.id))

    async def open_page(self, pool: PoolKind, *, after: str | None, limit: int) -> list[PoolMembership]:
        statement = select(PoolMembership).where(
            PoolMembership.pool == pool, PoolMembership.left_on.is_(None)
        )
        return await self.page(statement, after=after, limit=limit)


_AMOUNTS = frozenset({*AMOUNT_FIELDS, "innovation_score"})
_STATUSES = {str(s): s for s in EnterpriseStatus}
_KINDS = {str(k): k for k in CertificationKind}


def _text(column):
    # Bulk reads take enums and amounts as text and convert them with C parsers (a dict, Decimal):
    # SQLAlchemy's per-value processors cost more than the rules they feed.
    return cast(column, String)


def _same(value: date) -> date:
    return value


@cache
def _record_type(figures: tuple[str, ...]) -> type:
    return namedtuple("MetricsRecord", ("enterprise_id", "year", *figures))


class RegistryReader(Reader):
    """The whole registry in bulk, as plain rows: one query each, never one per enterprise."""

    def __init__(self, session) -> None:
        super().__init__(session)
        # SQLite keeps dates as ISO text (parsed here, in C); asyncpg already decodes them in C. Text is
        # not asked of PostgreSQL, whose date output follows the DateStyle setting.
        self._iso_text = session.bind.dialect.name == "sqlite"

    def _date(self, column):
        return _text(column) if self._iso_text else column

    def _amount(self, column):
        # As ExactDecimal reads them (1234.5, never 1234.500000 or 1E+3), decoded by the driver's C code:
        # trim_scale on PostgreSQL; SQLite's text is normalized in `metrics`.
        if self._iso_text:
            return _text(column)
        return type_coerce(func.trim_scale(column), Numeric(asdecimal=True))

    @property
    def _day(self):
        return date.fromisoformat if self._iso_text else _same

    async def enterprise_facts(self, *, after: str | None, limit: int) -> list[EnterpriseFacts]:
        """The `limit` next enterprises in id order after the id `after` (from the first when None)."""
        e = t.enterprises.c
        statement = select(
            e.id, e.name, _text(e.status), self._date(e.registered_on), e.listed, self._date(e.listed_on)
        ).order_by(e.id)
        if after is not None:
            statement = statement.where(e.id > after)
        statement = statement.limit(limit)
        rows = (await self.session.execute(statement)).all()
        day, status = self._day, _STATUSES
        return [
            EnterpriseFacts(i, n, status[s], r and day(r), None if li is None else bool(li), lo and day(lo))
            for i, n, s, r, li, lo in rows
        ]

    async def in_batches(
        self, size: int, *, read: Callable[..., Awaitable[list[Any]]] | None = None
    ) -> AsyncIterator[tuple[list[Any], dict[str, list[CertificationFacts]]]]:
        """The registry `size` enterprises at a time in id order, each batch with its certifications.

        The enterprises are facts, or what `read(after=…, limit=…)` gives (the export's entities).
        """
        read = read or self.enterprise_facts
        after = None
        while enterprises := await read(after=after, limit=size):
            within = (enterprises[0].id, enterprises[-1].id)
            yield enterprises, await self.certification_facts(within=within)
            if len(enterprises) < size:
                return
            after = within[1]

    async def certification_facts(self, *, within: tuple[str, str]) -> dict[str, list[CertificationFacts]]:
        """The certifications of the enterprises whose ids lie `within` first..last, by enterprise id."""
        k = t.certifications.c
        statement = (
            select(
                k.id,
                k.enterprise_id,
                _text(k.kind),
                k.number,
                self._date(k.issued_on),
                self._date(k.expires_on),
                k.revoked,
                self._date(k.revoked_on),
            )
            .where(k.enterprise_id.between(*within))
            .order_by(k.id)
        )
        day, kinds = self._day, _KINDS
        grouped: dict[str, list[CertificationFacts]] = {}
        for i, owner, kind, number, issued, expires, revoked, revoked_on in (
            await self.session.execute(statement)
        ).all():
            fact = CertificationFacts(
                i,
                owner,
                kinds[kind],
                number,
                day(issued),
                expires and day(expires),
                bool(revoked),
                revoked_on and day(revoked_on),
            )
            grouped.setdefault(owner, []).append(fact)
        return grouped

    async def metrics(
        self, first: int | None, last: int, figures: Sequence[str], *, within: tuple[str, str] | None = None
    ) -> dict[str, dict[int, Any]]:
        """The named figures of the years first..last (every year up to `last` when first is None), as
        records by enterprise id and year: a rule reading a figure not loaded fails loudly (no attribute).
        `within`: only the enterprises whose ids lie in first..last.

        Amounts come with the digits ExactDecimal gives them, at a fraction of its per-value cost:
        screening reads a quarter of a million records.
        """
        m, figures = t.annual_metrics.c, tuple(figures)
        columns = (self._amount(m[name]) if name in _AMOUNTS else m[name] for name in figures)
        statement = select(m.enterprise_id, m.year, *columns).where(m.year <= last)
        if first is not None:
            statement = statement.where(m.year >= first)
        if within is not None:
            statement = statement.where(m.enterprise_id.between(*within))
        record = _record_type(figures)
        texts = [i + 2 for i, name in enumerate(figures) if name in _AMOUNTS] if self._iso_text else []
        grouped: dict[str, dict[int, Any]] = {}
        for row in (await self.session.execute(statement)).all():
            values = [*row]
            for i in texts:
                text = values[i]
                if text is not None:
                    # SQLite keeps "1234.50" as entered; ExactDecimal would read 1234.5 (never 1E+3).
                    values[i] = Decimal(text.rstrip("0").rstrip(".") if "." in text else text)
            by_year = grouped.get(values[0])
            if by_year is None:
                by_year = grouped[values[0]] = {}
            by_year[values[1]] = record._make(values)
        return grouped

    async def indicator_targets(self, codes: Collection[int], year: int) -> dict[int, Decimal]:
        """Target values of the plan indicators with these codes and target year (the newest plan's)."""
        i = p.indicators.c
        statement = select(i.code, i.target_value).where(
            i.code.in_(list(codes)),
            i.target_year == year,
            i.target_value.is_not(None),  # a target planners have not set yet is nothing to compare with
        )
        return {
            row.code: row.target_value for row in await self.session.execute(statement.order_by(i.plan_id))
        }


class LiveIndicatorRepository(Reader):
    """Planning's live indicators 8–11, counted on 31 December of a year from the stored validity intervals
    covering that day (by index) and the listings of the active enterprises."""

    async def counts(self, year: int) -> dict[int, int]:
        """Indicator code → registry count (DOMAIN.md: 8 hnte, 9 eaglet, 10 gazelle or unicorn, 11 listed)."""
        return (await self.tally(year))[0]

    async def tally(self, year: int) -> tuple[dict[int, int], dict[int, int]]:
        """`counts`, and beside them what a count leaves out for want of a date (11: listed enterprises
        whose listing date is unknown)."""
        tiers = StoredTierReader(self.session)
        sets = await tiers.holding_sets_on(date(year, 12, 31))
        return live_counts(await tiers.active_count(), sets, await tiers.listings(), year)
