"""Planning rows: tasks by (plan, code) and indicator observations by (indicator code, year)."""

from __future__ import annotations

from typing import Any

from domain.integration.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Afterwards,
    RowImporter,
    changed_fields,
    unknown,
)
from domain.integration.importers.moves import DatedMoves
from domain.integration.ledgers.rows import ParsedRow
from domain.integration.ports import LedgerUnitOfWork
from domain.planning.handlers.indicators import observe
from domain.planning.handlers.tasks import create_task, update_task
from domain.planning.tasks import Task

PLAIN_TASK_FIELDS = ("title", "description", "start_date", "due_date")
NO_YEAR = 9999  # observations of every year


class TaskRows(RowImporter):
    """督办台账 rows: a task found by its id, else by its code in the plan; parents by code (or id). Its
    actual start, completion or cancellation dates become dated moves once all rows are in (`DatedMoves`)."""

    async def prepare(self, rows: list[ParsedRow]) -> None:
        self.dated = DatedMoves(self, await self.uow.task_transitions.of_plan(self.plan.id))
        tasks = await self.uow.tasks.of_plans([self.plan.id])
        self.by_id: dict[str, Task] = {task.id: task for task in tasks}
        self.by_code: dict[str, Task] = {task.code: task for task in tasks if task.code}
        self.code_of: dict[str, str | None] = {task.id: task.code for task in tasks}
        departments = await self.lookups.departments()
        # A department is named by its name (as exported) or its code.
        self.departments = {d.code: d.id for d in departments if d.code} | {d.name: d.id for d in departments}
        self.indicators = {str(i.code): i.id for i in await self.uow.indicators.of_plan(self.plan.id)}

    def find(self, row: ParsedRow) -> Task | None:
        values = row.values
        task = self.by_id.get(values.get("id") or "")
        if task is None and values.get("code"):
            task = self.by_code.get(values["code"])
        return task

    async def apply(self, row: ParsedRow, found: Task | None, unit: LedgerUnitOfWork) -> tuple[str, Task]:
        fields = self._fields(row.values)
        wanted = self.dated.wanted(row, found)  # refused here, before anything is written
        if found is None:
            return CREATED, await create_task({"plan_id": self.plan.id, **fields}, uow=unit)
        changes = changed_fields(found, fields)
        if not changes:
            return (UPDATED if wanted else UNCHANGED), found
        return UPDATED, await update_task(found, changes, uow=unit)

    def afterwards(self) -> list[Afterwards]:
        return self.dated.steps(self.by_id)

    def remember(self, row: ParsedRow, found: Task | None, written: Task) -> None:
        self.dated.ask(row, written)  # the row is through: its moves wait for the others
        old = self.code_of.get(written.id)
        if old and old != written.code and self.by_code.get(old) is written:
            del self.by_code[old]
        if written.code:
            self.by_code[written.code] = written
        self.by_id[written.id], self.code_of[written.id] = written, written.code

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        """The task's fields the row gives; a blank cell clears its field, but never the code (the key) or
        the weight (which cannot be empty)."""
        fields = {name: values[name] for name in PLAIN_TASK_FIELDS if name in values}
        if values.get("code") is not None:
            fields["code"] = values["code"]
        if values.get("weight") is not None:  # blank: the stored weight stays (a new task gets 1)
            fields["weight"] = values["weight"]
        if "parent_code" in values or "parent_id" in values:
            fields["parent_id"] = self._parent(values)
        if "lead_department" in values:
            name = values["lead_department"]
            fields["lead_department_id"] = self._department(name, "lead_department") if name else None
        if "co_departments" in values:
            ids = [self._department(name, "co_departments") for name in values["co_departments"] or []]
            fields["co_department_ids"] = list(dict.fromkeys(ids))
        if "indicator_codes" in values:
            ids = [self._indicator(code) for code in values["indicator_codes"] or []]
            fields["indicator_ids"] = list(dict.fromkeys(ids))
        return fields

    def _parent(self, values: dict[str, Any]) -> str | None:
        code, ident = values.get("parent_code"), values.get("parent_id")
        if code:
            parent = self.by_code.get(code)
            if parent is None:
                raise unknown(
                    "parent_code",
                    f"no task {code} in the plan (a parent must exist or come before its children)",
                    f"本规划无编号为 {code} 的任务(上级任务须已存在或排在下级任务之前)",
                )
            return parent.id
        if ident:
            if ident not in self.by_id:
                raise unknown("parent_id", f"no task {ident} in the plan", f"本规划无ID为 {ident} 的任务")
            return ident
        return None

    def _department(self, name: str, field: str) -> str:
        if name not in self.departments:
            raise unknown(field, f"no department {name}", f"部门“{name}”不存在")
        return self.departments[name]

    def _indicator(self, code: str) -> str:
        key = code.removesuffix(".0")
        if key not in self.indicators:
            raise unknown(
                "indicator_codes", f"the plan has no indicator {code}", f"本规划无序号为 {code} 的指标"
            )
        return self.indicators[key]


class ObservationRows(RowImporter):
    """指标实际值 rows: the figure of an indicator (by its code in the plan) in a year."""

    async def prepare(self, rows: list[ParsedRow]) -> None:
        indicators = await self.uow.indicators.of_plan(self.plan.id)
        self.indicators = {indicator.code: indicator for indicator in indicators}
        found = await self.uow.observations.of_indicators([i.id for i in indicators], until_year=NO_YEAR)
        self.observations = {(o.indicator_id, o.year): o for o in found}

    def find(self, row: ParsedRow) -> tuple[Any, Any]:
        code = row.values["indicator_code"]
        indicator = self.indicators.get(code)
        if indicator is None:
            raise unknown(
                "indicator_code", f"the plan has no indicator {code}", f"本规划无序号为 {code} 的指标"
            )
        return indicator, self.observations.get((indicator.id, row.values["year"]))

    def touched(self, row: ParsedRow, found: tuple[Any, Any]) -> list[Any]:
        return list(found)

    async def apply(self, row: ParsedRow, found: tuple[Any, Any], unit: LedgerUnitOfWork) -> tuple[str, Any]:
        indicator, existing = found
        values = row.values
        # A column the sheet leaves out keeps what is there; a blank cell clears it.
        source = values["source"] if "source" in values else getattr(existing, "source", None)
        note = values["note"] if "note" in values else getattr(existing, "note", None)
        if existing is not None and (existing.value, existing.source, existing.note) == (
            values["value"],
            source,
            note,
        ):
            return UNCHANGED, existing
        observation, created = await observe(
            indicator, values["year"], values["value"], source=source, note=note, uow=unit
        )
        return (CREATED if created else UPDATED), observation

    def remember(self, row: ParsedRow, found: tuple[Any, Any], written: Any) -> None:
        self.observations[(written.indicator_id, written.year)] = written
