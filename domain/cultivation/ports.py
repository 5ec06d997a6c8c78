"""Ports of the cultivation context: the repositories its handlers reach, and the unit of work carrying them.

`infrastructure/repositories/cultivation.py` implements them on the database,
`tests/unit/fakes/cultivation.py` in memory; the attribute names of `CultivationUnitOfWork` are those of
`SqlAlchemyUnitOfWork`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.facts import CertificationFacts, EnterpriseFacts
from domain.cultivation.intervals import CertificationInterval, HoldingSet, Listing
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.pools import PoolKind, PoolMembership
from domain.cultivation.tiers import Tier
from domain.identity.ports import UserRepositoryPort
from domain.shared.uow import Repository, UnitOfWork


class EnterpriseRepositoryPort(Repository[Enterprise], Protocol):
    """企业名录: enterprises by id, by credit code, and searched."""

    async def by_credit_code(self, code: str) -> Enterprise | None: ...

    async def with_certifications(self, enterprise_id: str) -> tuple[Enterprise, list[Certification]] | None:
        """The enterprise and every certification of it (by issue date) in one read, for showing only:
        what is changed on them is not written."""

    async def search(
        self,
        filters: dict[str, Any],
        *,
        after: str | None,
        limit: int,
        holding: Sequence[Collection[str]] = (),
        listed_only: bool = False,
    ) -> list[Enterprise]:
        """Up to `limit` enterprises in id order after `after`, matching the stored filters (cluster, status,
        pool, chain_id, q); with `holding`, only holders of a certification of one kind of each group (valid
        or not); with `listed_only`, only those marked listed."""


class CertificationRepositoryPort(Repository[Certification], Protocol):
    """认定: an enterprise's certifications, revoked and expired ones included."""

    async def of_enterprise(self, enterprise_id: str) -> list[Certification]:
        """Every certification of the enterprise, by issue date."""

    async def of_enterprises(self, ids: Sequence[str]) -> dict[str, list[Certification]]:
        """The certifications of many enterprises, by enterprise id (those without one left out)."""

    async def page_of(self, enterprise_id: str, *, after: str | None, limit: int) -> list[Certification]:
        """limit + 1 certifications of the enterprise in id (recording) order after `after`."""


class AnnualMetricsRepositoryPort(Repository[AnnualMetrics], Protocol):
    """年度经营数据: one record per enterprise and year."""

    async def of_enterprise(self, enterprise_id: str) -> list[AnnualMetrics]:
        """Every record of the enterprise, by year."""

    async def one(self, enterprise_id: str, year: int) -> AnnualMetrics | None: ...

    async def page_of(self, enterprise_id: str, *, after: int | None, limit: int) -> list[AnnualMetrics]:
        """limit + 1 records of the enterprise in year order after the year `after`."""


class PoolMembershipRepositoryPort(Repository[PoolMembership], Protocol):
    """培育库: memberships, open and ended."""

    async def of_enterprise(self, enterprise_id: str) -> list[PoolMembership]:
        """Every membership of the enterprise, in any pool, in order of entry."""

    async def open_page(self, pool: PoolKind, *, after: str | None, limit: int) -> list[PoolMembership]:
        """limit + 1 open memberships of the pool in order of entry after `after`."""


class RegistryReaderPort(Protocol):
    """The whole registry in bulk, as light facts, for the rules run over all of it."""

    def in_batches(
        self, size: int
    ) -> AsyncIterator[tuple[list[EnterpriseFacts], dict[str, list[CertificationFacts]]]]:
        """The registry `size` enterprises at a time in id order, each batch with its certifications."""

    async def metrics(
        self, first: int | None, last: int, figures: Sequence[str], *, within: tuple[str, str] | None = None
    ) -> dict[str, dict[int, Any]]:
        """The named figures of the years first..last (every year up to `last` when first is None), as
        records (attributes enterprise_id, year and the figures) by enterprise id and year; `within`: only
        the enterprises whose ids lie in first..last."""

    async def indicator_targets(self, codes: Collection[int], year: int) -> dict[int, Decimal]:
        """Target values of the plan indicators with these codes and target year."""


class StoredTiersPort(Protocol):
    """The stored derivations of certifications: validity intervals and each enterprise's tier on a day.

    The unit of work rewrites them at commit for the enterprises a write touched; these read them back.
    """

    async def stored(self, enterprise_ids: Collection[str], on: date) -> dict[str, Tier]:
        """The stored tiers of these enterprises computed for `on`; the others are left out (compute them)."""

    async def stale(self, today: date, *, limit: int) -> dict[str, list[CertificationInterval]]:
        """Up to `limit` enterprises whose tier was computed for another day or never, and their intervals."""

    async def store(self, tiers: Mapping[str, Tier], today: date) -> None:
        """Store each enterprise's tier as computed for `today`."""

    async def holding_sets_on(self, on: date) -> list[HoldingSet]:
        """The distinct sets of kinds the active enterprises hold on `on`, each with how many hold it."""

    async def active_count(self) -> int:
        """How many enterprises are active."""

    async def listings(self) -> list[Listing]:
        """The listing of each active enterprise marked listed."""


class CultivationUnitOfWork(UnitOfWork, Protocol):
    """The unit of work the cultivation handlers run in."""

    enterprises: EnterpriseRepositoryPort
    certifications: CertificationRepositoryPort
    annual_metrics: AnnualMetricsRepositoryPort
    pool_memberships: PoolMembershipRepositoryPort
    registry: RegistryReaderPort
    stored_tiers: StoredTiersPort
    users: UserRepositoryPort  # an enterprise's officer must be a known user
