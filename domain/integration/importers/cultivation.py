"""Cultivation rows: enterprises by credit code, else by name; metrics by (enterprise, year)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from domain.cultivation.enterprises import Enterprise
from domain.cultivation.handlers.enterprises import register_enterprise, update_enterprise
from domain.cultivation.handlers.metrics import put_metrics
from domain.cultivation.metrics import METRIC_FIELDS, AnnualMetrics
from domain.cultivation.ports import EnterpriseRepositoryPort
from domain.integration.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    RowImporter,
    changed_fields,
    unknown,
)
from domain.integration.ledgers.rows import ParsedRow
from domain.integration.ports import LedgerLookupsPort, LedgerUnitOfWork
from domain.shared.events import DomainEvent

ENTERPRISE_FIELDS = (
    "name",
    "registered_on",
    "cluster",
    "listed",
    "stock_code",
    "listed_on",
    "status",
    "aliases",
)
# Fields that cannot be empty: a blank cell keeps what is stored (a new enterprise gets the default).
NOT_EMPTY = frozenset({"name", "listed", "status"})


def _code(values: dict[str, Any]) -> str | None:
    code = values.get("credit_code")
    return code.strip().upper() if code else None


class EnterpriseIndex:
    """The registry's enterprises the rows name, by credit code and by name, kept current as rows write."""

    def __init__(self, enterprises: list[Enterprise]) -> None:
        self.by_code: dict[str, Enterprise] = {}
        self.by_name: dict[str, list[Enterprise]] = {}
        self.known: dict[str, tuple[str | None, str]] = {}
        for enterprise in enterprises:
            self.add(enterprise)

    def add(self, enterprise: Enterprise) -> None:
        old_code, old_name = self.known.get(enterprise.id, (None, ""))
        if old_code and self.by_code.get(old_code) is enterprise:
            del self.by_code[old_code]
        if old_name in self.by_name:
            self.by_name[old_name] = [e for e in self.by_name[old_name] if e is not enterprise]
        if enterprise.credit_code:
            self.by_code[enterprise.credit_code] = enterprise
        self.by_name.setdefault(enterprise.name, []).append(enterprise)
        self.known[enterprise.id] = (enterprise.credit_code, enterprise.name)

    def forget(self, enterprise: Enterprise) -> None:
        """Take back an enterprise `add`ed as new (its batch was refused, so it was never written)."""
        del self.known[enterprise.id]
        if enterprise.credit_code and self.by_code.get(enterprise.credit_code) is enterprise:
            del self.by_code[enterprise.credit_code]
        named = [e for e in self.by_name.get(enterprise.name, []) if e is not enterprise]
        if named:
            self.by_name[enterprise.name] = named
        else:
            self.by_name.pop(enterprise.name, None)

    def find(self, code: str | None, name: str | None) -> Enterprise | None:
        """By credit code; else by name, if the one enterprise of that name has no other code."""
        if code and code in self.by_code:
            return self.by_code[code]
        named = self.by_name.get(name or "", [])
        if len(named) > 1:
            raise unknown(
                "name",
                f"several enterprises are named {name}: give the credit code",
                f"有多家企业名为“{name}”,请填写统一社会信用代码以区分",
            )
        if named and code and named[0].credit_code and named[0].credit_code != code:
            raise unknown(
                "credit_code",
                f"{name} is registered with the credit code {named[0].credit_code}, not {code}",
                f"企业“{name}”已登记的统一社会信用代码为 {named[0].credit_code},与本行的 {code} 不同",
            )
        return named[0] if named else None


async def _index(lookups: LedgerLookupsPort, rows: list[ParsedRow]) -> EnterpriseIndex:
    codes = {code for row in rows if (code := _code(row.values))}
    names = {row.values["name"] for row in rows if row.values.get("name")}
    return EnterpriseIndex(await lookups.enterprises_by_keys(codes, names))


def _enterprise_values(row: dict[str, Any], *, new: bool) -> dict[str, Any]:
    """The fields a row gives: a blank cell clears an optional field, keeps one that cannot be empty (and
    leaves a new enterprise its default); a blank credit code never clears one, it is how rows find theirs."""
    values = {name: row[name] for name in ENTERPRISE_FIELDS if name in row}
    values = {k: v for k, v in values.items() if v is not None or (not new and k not in NOT_EMPTY)}
    if "aliases" in values and values["aliases"] is None:
        values["aliases"] = []
    if row.get("credit_code"):
        values["credit_code"] = row["credit_code"]
    return values


class EnterpriseRows(RowImporter):
    """企业名录 rows, registered or changed through the registry's handlers."""

    async def prepare(self, rows: list[ParsedRow]) -> None:
        self.index = await _index(self.lookups, rows)

    def find(self, row: ParsedRow) -> Enterprise | None:
        return self.index.find(_code(row.values), row.values["name"])

    async def apply(
        self, row: ParsedRow, found: Enterprise | None, unit: LedgerUnitOfWork
    ) -> tuple[str, Enterprise]:
        values = _enterprise_values(row.values, new=found is None)
        if found is None:
            view = await register_enterprise(values, uow=unit)
            return CREATED, view.enterprise
        # Compare as the domain would store them (codes upper-cased, names stripped …).
        current = {f.name: getattr(found, f.name) for f in dataclass_fields(Enterprise)}
        candidate = Enterprise(**(current | values))
        if not changed_fields(found, {name: getattr(candidate, name) for name in values}):
            return UNCHANGED, found
        view = await update_enterprise(found, values, uow=unit, today=self.today)
        return UPDATED, view.enterprise

    def remember(self, row: ParsedRow, found: Enterprise | None, written: Enterprise) -> None:
        self.index.add(written)

    def deferrable(self, row: ParsedRow, found: Enterprise | None) -> bool:
        return found is None  # a new enterprise: register_enterprise refuses it before adding it

    async def apply_deferred(
        self, row: ParsedRow, found: None, unit: LedgerUnitOfWork
    ) -> tuple[str, Enterprise]:
        values = _enterprise_values(row.values, new=True)
        view = await register_enterprise(values, uow=_IndexedUnit(unit, self.index))
        return CREATED, view.enterprise

    def forget(self, row: ParsedRow, found: None, written: Enterprise) -> None:
        self.index.forget(written)


class _IndexedRegistry:
    """The registry as a deferred row's handler reads it: a credit code's holder from the index, which
    holds every enterprise with a code the sheet names and each one the rows wrote since (the batch's are
    not in the database yet). Additions go to the real repository."""

    def __init__(self, repository: EnterpriseRepositoryPort, index: EnterpriseIndex) -> None:
        self.repository, self.index = repository, index

    async def get(self, entity_id: str) -> Enterprise | None:
        return await self.repository.get(entity_id)

    async def by_credit_code(self, code: str) -> Enterprise | None:
        return self.index.by_code.get(code)

    def add(self, enterprise: Enterprise) -> None:
        self.repository.add(enterprise)

    async def delete(self, enterprise: Enterprise) -> None:
        await self.repository.delete(enterprise)

    async def search(self, filters: dict[str, Any], **options: Any) -> list[Enterprise]:
        return await self.repository.search(filters, **options)


class _IndexedUnit:
    """A deferred row's unit as register_enterprise reaches it: `enterprises` answered by the import's
    index, everything else the row's own unit."""

    def __init__(self, unit: LedgerUnitOfWork, index: EnterpriseIndex) -> None:
        self._unit = unit
        self.enterprises = _IndexedRegistry(unit.enterprises, index)
        # The rest of CultivationUnitOfWork, as the row's unit has it (register_enterprise reads `users`).
        self.certifications = unit.certifications
        self.annual_metrics = unit.annual_metrics
        self.pool_memberships = unit.pool_memberships
        self.registry = unit.registry
        self.users = unit.users

    @property
    def actor(self) -> str | None:
        return self._unit.actor

    def record(self, event: DomainEvent) -> None:
        self._unit.record(event)

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        self._unit.audit(action, resource_type, resource_id, **after)

    async def flush(self) -> None:
        await self._unit.flush()

    async def commit(self) -> None:
        await self._unit.commit()


class MetricsRows(RowImporter):
    """年度经营数据 rows: an enterprise's record of a year; figures of a column left out are kept."""

    async def prepare(self, rows: list[ParsedRow]) -> None:
        self.index = await _index(self.lookups, rows)
        ids = [e.id for named in self.index.by_name.values() for e in named]
        self.records = {(m.enterprise_id, m.year): m for m in await self.lookups.metrics_of(ids)}

    def find(self, row: ParsedRow) -> tuple[Enterprise, AnnualMetrics | None]:
        code, name = _code(row.values), row.values.get("name")
        if not code and not name:
            raise unknown(
                "name", "give the enterprise's name or credit code", "须填写企业名称或统一社会信用代码"
            )
        enterprise = self.index.find(code, name)
        if enterprise is None:
            raise unknown(
                "credit_code" if code else "name",
                f"no enterprise {code or name} is registered: import it into the registry first",
                f"企业“{code or name}”未登记,请先导入企业名录",
            )
        return enterprise, self.records.get((enterprise.id, row.values["year"]))

    def touched(self, row: ParsedRow, found: tuple[Enterprise, AnnualMetrics | None]) -> list[Any]:
        return [found[1]]

    async def apply(self, row: ParsedRow, found, unit: LedgerUnitOfWork) -> tuple[str, AnnualMetrics]:
        enterprise, current = found
        year = row.values["year"]
        given = {name: row.values[name] for name in METRIC_FIELDS if name in row.values}
        kept = {name: getattr(current, name) for name in METRIC_FIELDS} if current is not None else {}
        merged = {name: None for name in METRIC_FIELDS} | kept | given
        candidate = AnnualMetrics(enterprise_id=enterprise.id, year=year, **merged)  # checks every figure
        if current is not None and not changed_fields(
            current, {n: getattr(candidate, n) for n in METRIC_FIELDS}
        ):
            return UNCHANGED, current
        record = await put_metrics(enterprise.id, year, merged, current, uow=unit)
        return (UPDATED if current is not None else CREATED), record

    def remember(self, row: ParsedRow, found, written: AnnualMetrics) -> None:
        self.records[(written.enterprise_id, written.year)] = written
