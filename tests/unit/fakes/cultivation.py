"""The cultivation context's repositories in memory (the ports of domain/cultivation/ports.py)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.cultivation.facts import CertificationFacts, EnterpriseFacts
from domain.cultivation.intervals import (
    CertificationInterval,
    HoldingSet,
    Listing,
    holding_sets,
    intervals_of,
)
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.pools import PoolKind, PoolMembership
from domain.cultivation.tiers import Tier
from tests.unit.fakes.base import FakeRepository


class FakeEnterprises(FakeRepository):
    """Enterprises by id; `chain_members` stands in for the chains' node links (chain id → enterprise ids)."""

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.chain_members: dict[str, set[str]] = {}

    async def by_name(self, name: str) -> Enterprise | None:
        """The enterprise registered under exactly this name (as a target reaching production finds it)."""
        found = self.where(lambda e: e.name == name)
        return found[0] if found else None

    async def with_certifications(self, enterprise_id: str) -> tuple[Enterprise, list[Certification]] | None:
        enterprise = self.items.get(enterprise_id)
        if enterprise is None:
            return None
        return enterprise, await self.uow.certifications.of_enterprise(enterprise_id)

    async def by_credit_code(self, code: str) -> Enterprise | None:
        # The first to hold it: while a change gives a second one the code, the database still answers
        # with the holder it stored (the change is not written before the check).
        return self._seen(next((e for e in self.items.values() if e.credit_code == code), None))

    async def search(
        self,
        filters: dict[str, Any],
        *,
        after: str | None,
        limit: int,
        holding: Sequence[Collection[str]] = (),
        listed_only: bool = False,
    ) -> list[Enterprise]:
        """As the real search: the stored filters, holders of each group of kinds (valid or not), id order."""

        def keep(e: Enterprise) -> bool:
            kinds = {str(c.kind) for c in self.uow.certifications.items.values() if c.enterprise_id == e.id}
            return (
                all(filters.get(f) is None or getattr(e, f) == filters[f] for f in ("cluster", "status"))
                and (filters.get("pool") is None or self._in_pool(e.id, PoolKind(filters["pool"])))
                and (
                    filters.get("chain_id") is None or e.id in self.chain_members.get(filters["chain_id"], ())
                )
                and (not filters.get("q") or filters["q"].lower() in _search_text(e))
                and all(kinds & set(group) for group in holding)
                and (not listed_only or e.listed is True)
                and (after is None or e.id > after)
            )

        return self.where(keep)[:limit]

    def _in_pool(self, enterprise_id: str, pool: PoolKind) -> bool:
        memberships = self.uow.pool_memberships.items.values()
        return any(m.enterprise_id == enterprise_id and m.pool == pool and m.is_open for m in memberships)


def _search_text(enterprise: Enterprise) -> str:
    # What `q` searches (infrastructure/derived.py): name, aliases and credit code, lower-cased.
    return "\n".join([enterprise.name, *enterprise.aliases, enterprise.credit_code or ""]).lower()


class FakeCertifications(FakeRepository):
    async def of_enterprise(self, enterprise_id: str) -> list[Certification]:
        held = self.where(lambda c: c.enterprise_id == enterprise_id)
        return sorted(held, key=lambda c: (c.issued_on, c.id))

    async def of_enterprises(self, ids: Sequence[str]) -> dict[str, list[Certification]]:
        grouped: dict[str, list[Certification]] = {}
        for certification in self.where(lambda c: c.enterprise_id in set(ids)):
            grouped.setdefault(certification.enterprise_id, []).append(certification)
        return grouped

    async def page_of(self, enterprise_id: str, *, after: str | None, limit: int) -> list[Certification]:
        return await self.page_where(lambda c: c.enterprise_id == enterprise_id, after=after, limit=limit)


class FakeAnnualMetrics(FakeRepository):
    async def of_enterprise(self, enterprise_id: str) -> list[AnnualMetrics]:
        return sorted(self.where(lambda m: m.enterprise_id == enterprise_id), key=lambda m: m.year)

    async def one(self, enterprise_id: str, year: int) -> AnnualMetrics | None:
        found = self.where(lambda m: m.enterprise_id == enterprise_id and m.year == year)
        return found[0] if found else None

    async def page_of(self, enterprise_id: str, *, after: int | None, limit: int) -> list[AnnualMetrics]:
        records = await self.of_enterprise(enterprise_id)
        return [m for m in records if after is None or m.year > after][: limit + 1]


class FakePoolMemberships(FakeRepository):
    async def of_enterprise(self, enterprise_id: str) -> list[PoolMembership]:
        return self.where(lambda m: m.enterprise_id == enterprise_id)

    async def open_page(self, pool: PoolKind, *, after: str | None, limit: int) -> list[PoolMembership]:
        return await self.page_where(lambda m: m.pool == pool and m.is_open, after=after, limit=limit)


class FakeRegistry:
    """The bulk reads over the fake enterprises, certifications and metrics; `targets` holds the plan's
    indicator targets as (code, target year) → value."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.targets: dict[tuple[int, int], Decimal] = {}

    def remembered(self) -> list[Any]:
        return []  # facts are no aggregates: nothing of theirs to publish

    async def in_batches(
        self, size: int
    ) -> AsyncIterator[tuple[list[EnterpriseFacts], dict[str, list[CertificationFacts]]]]:
        enterprises = sorted(self.uow.enterprises.items.values(), key=lambda e: e.id)
        certifications = sorted(self.uow.certifications.items.values(), key=lambda c: c.id)
        for start in range(0, len(enterprises), size):
            batch = [_enterprise_facts(e) for e in enterprises[start : start + size]]
            ids = {e.id for e in batch}
            held: dict[str, list[CertificationFacts]] = {}
            for c in certifications:
                if c.enterprise_id in ids:
                    held.setdefault(c.enterprise_id, []).append(_certification_facts(c))
            yield batch, held

    async def metrics(
        self, first: int | None, last: int, figures: Sequence[str], *, within: tuple[str, str] | None = None
    ) -> dict[str, dict[int, Any]]:
        # Records carry only the figures asked for, as the real reader's: a rule reading another fails.
        record = namedtuple("MetricsRecord", ("enterprise_id", "year", *figures))
        grouped: dict[str, dict[int, Any]] = {}
        for m in self.uow.annual_metrics.items.values():
            if m.year > last or (first is not None and m.year < first):
                continue
            if within is not None and not within[0] <= m.enterprise_id <= within[1]:
                continue
            values = [getattr(m, name) for name in figures]
            grouped.setdefault(m.enterprise_id, {})[m.year] = record(m.enterprise_id, m.year, *values)
        return grouped

    async def indicator_targets(self, codes: Collection[int], year: int) -> dict[int, Decimal]:
        return {
            code: value
            for (code, target_year), value in self.targets.items()
            if code in codes and target_year == year
        }


def _enterprise_facts(e: Enterprise) -> EnterpriseFacts:
    return EnterpriseFacts(e.id, e.name, e.status, e.registered_on, e.listed, e.listed_on)


def _certification_facts(c: Certification) -> CertificationFacts:
    return CertificationFacts(
        c.id, c.enterprise_id, c.kind, c.number, c.issued_on, c.expires_on, c.revoked, c.revoked_on
    )


class FakeStoredTiers:
    """The stored tiers in memory, and the intervals derived from the fake's certifications as the unit of
    work stores them: a tier is stored only by `store` (the daily sweep), so other reads derive it."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.rows: dict[str, tuple[Tier, date]] = {}

    def remembered(self) -> list[Any]:
        return []

    def _intervals(self) -> list[CertificationInterval]:
        return intervals_of(sorted(self.uow.certifications.items.values(), key=lambda c: c.id))

    def _active(self) -> list[Enterprise]:
        return [e for e in self.uow.enterprises.items.values() if e.status == EnterpriseStatus.ACTIVE]

    async def stored(self, enterprise_ids: Collection[str], on: date) -> dict[str, Tier]:
        return {i: self.rows[i][0] for i in enterprise_ids if i in self.rows and self.rows[i][1] == on}

    async def stale(self, today: date, *, limit: int) -> dict[str, list[CertificationInterval]]:
        ids = sorted(i for i in self.uow.enterprises.items if self.rows.get(i, (None, None))[1] != today)
        held: dict[str, list[CertificationInterval]] = {i: [] for i in ids[:limit]}
        for interval in self._intervals():
            if interval.enterprise_id in held:
                held[interval.enterprise_id].append(interval)
        return held

    async def store(self, tiers: Mapping[str, Tier], today: date) -> None:
        self.rows |= {i: (tier, today) for i, tier in tiers.items()}

    async def holding_sets_on(self, on: date) -> list[HoldingSet]:
        active = {e.id for e in self._active()}
        return holding_sets(
            (i.enterprise_id, i.kind) for i in self._intervals() if i.enterprise_id in active and i.covers(on)
        )

    async def active_count(self) -> int:
        return len(self._active())

    async def listings(self) -> list[Listing]:
        return [Listing(e.listed, e.listed_on) for e in self._active() if e.listed is True]


class CultivationRepositories:
    """Mixed into FakeUnitOfWork: `make_cultivation_repositories()` sets one attribute a repository port."""

    _repository: Any

    def make_cultivation_repositories(self) -> None:
        self.enterprises = self._repository(FakeEnterprises)
        self.certifications = self._repository(FakeCertifications)
        self.annual_metrics = self._repository(FakeAnnualMetrics)
        self.pool_memberships = self._repository(FakePoolMemberships)
        self.registry = self._repository(FakeRegistry)
        self.stored_tiers = self._repository(FakeStoredTiers)
