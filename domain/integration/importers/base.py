"""What every kind's importer shares: its collaborators, and the actions a row can end in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from domain.integration.ledgers.rows import ParsedRow
from domain.integration.ports import LedgerLookupsPort, LedgerUnitOfWork
from domain.planning.plan import Plan
from domain.shared.errors import InvalidValue

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RowImporter:
    """One kind's rows against their records; subclasses load in bulk and call the domain's handlers."""

    def __init__(
        self,
        *,
        uow: LedgerUnitOfWork,
        lookups: LedgerLookupsPort,
        plan: Plan | None,
        today: date,
        now: datetime | None = None,
    ) -> None:
        self.uow = uow
        self.lookups = lookups
        self.plan = plan
        self.today = today
        self.now = now or datetime.now(UTC)

    async def prepare(self, rows: list[ParsedRow]) -> None:
        """Load, in a few queries, every record the rows may name."""

    def find(self, row: ParsedRow) -> Any:
        """The record the row names (None: a new one); a DomainError refuses the row."""
        raise NotImplementedError

    async def apply(self, row: ParsedRow, found: Any, unit: LedgerUnitOfWork) -> tuple[str, Any]:
        """Write the row through the domain's handlers with `unit`: (created/updated/unchanged, record)."""
        raise NotImplementedError

    def touched(self, row: ParsedRow, found: Any) -> list[Any]:
        return [found]

    def remember(self, row: ParsedRow, found: Any, written: Any) -> None:
        """Keep the lookups right for the rows that follow (a later row may name what this one wrote)."""

    def deferrable(self, row: ParsedRow, found: Any) -> bool:
        """Whether the row may be written with a batch (`apply_deferred`): it creates a record and changes
        none, and a refusal comes before it adds anything, so it needs no savepoint of its own."""
        return False

    async def apply_deferred(self, row: ParsedRow, found: Any, unit: LedgerUnitOfWork) -> tuple[str, Any]:
        """`apply` for a deferrable row, with a unit whose writes wait for the batch (reads miss them)."""
        raise NotImplementedError

    def forget(self, row: ParsedRow, found: Any, written: Any) -> None:
        """Undo `remember` for a deferred row whose batch was refused (it is run again on its own)."""
        raise NotImplementedError

    def afterwards(self) -> list[Afterwards]:
        """What must wait until every row is through (a task's dated moves: a parent completes only once
        its children's rows are in), in the order to run it; each step runs in its own savepoint."""
        return []


@dataclass(frozen=True)
class Afterwards:
    """A step a row asks for once every row is through: its `run(unit)` changes the `touched` records; a
    refusal is the row's error."""

    row: ParsedRow
    touched: list[Any]
    run: Callable[[LedgerUnitOfWork], Awaitable[Any]]


def changed_fields(record: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from the record's (an unchanged row writes nothing)."""
    return {name: value for name, value in values.items() if getattr(record, name) != value}


def unknown(field: str, en: str, zh: str) -> InvalidValue:
    return InvalidValue(en, zh, field=field)
