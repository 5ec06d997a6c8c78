"""进展报告 rows: the supervision ledger's reports, each filed on its filing day as the API files it today.

A row finds its task by code in the plan (or 任务ID). A row the ledger already holds — the same 报告ID, or
the same task, period, filing day and words — is unchanged; a report is never changed, so a 报告ID whose row
differs is refused. Rows go in sheet order: a report on a task not yet started starts it, on the first day
of its period, and whether the task was open is judged on the filing day (from the task's moves).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from domain.integration.importers.base import CREATED, UNCHANGED, RowImporter, unknown
from domain.integration.ledgers.rows import ParsedRow
from domain.integration.ports import LedgerUnitOfWork
from domain.planning.history import TaskHistory
from domain.planning.reports import ProgressReport, file_report
from domain.planning.tasks import Task, is_leaf
from domain.shared.clock import day_of, start_of

WORDS = ("percent", "summary", "problems", "next_steps")


class ReportRows(RowImporter):
    """进展报告 rows, filed through the domain's own rule (reports.file_report) on their filing day."""

    async def prepare(self, rows: list[ParsedRow]) -> None:
        tasks = await self.uow.tasks.of_plans([self.plan.id])
        self.by_id: dict[str, Task] = {task.id: task for task in tasks}
        self.by_code: dict[str, Task] = {task.code: task for task in tasks if task.code}
        self.children: dict[str, list[Task]] = defaultdict(list)
        for task in tasks:
            if task.parent_id is not None:
                self.children[task.parent_id].append(task)
        self.moves = {k: list(v) for k, v in (await self.uow.task_transitions.of_plan(self.plan.id)).items()}
        self._started: dict[int, Any] = {}  # row number → the move its report made, until it is through
        self.reports: dict[str, list[ProgressReport]] = defaultdict(list)
        for report in await self.uow.progress_reports.of_plan(self.plan.id):
            self.reports[report.task_id].append(report)

    def find(self, row: ParsedRow) -> tuple[Task, ProgressReport | None]:
        values = row.values
        task = self.by_id.get(values.get("task_id") or "") or self.by_code.get(values.get("task_code") or "")
        if task is None:
            what = values.get("task_code") or values.get("task_id")
            field = "task_code" if values.get("task_code") else "task_id"
            raise unknown(field, f"the plan has no task {what}", f"本规划无编号(或ID)为 {what} 的任务")
        filed_on = values.get("filed_on") or self.today
        ident = values.get("id")
        for report in self.reports[task.id]:
            if ident and report.id == ident:
                return task, report
            if not ident and _same(report, values, filed_on):
                return task, report
        return task, None

    def touched(self, row: ParsedRow, found: tuple[Task, ProgressReport | None]) -> list[Any]:
        return [found[0]]

    async def apply(self, row: ParsedRow, found, unit: LedgerUnitOfWork) -> tuple[str, ProgressReport]:
        task, existing = found
        filed_on = row.values.get("filed_on") or self.today
        if existing is not None:
            if _same(existing, row.values, filed_on):
                return UNCHANGED, existing
            raise unknown(
                "id",
                "a report is never changed: leave 报告ID blank to file another one",
                "进展报告不可修改:如需补报,请清空报告ID后作为新报告导入",
            )
        report = ProgressReport(
            task_id=task.id,
            period=row.values["period"],
            percent=row.values["percent"],
            summary=row.values["summary"],
            problems=row.values.get("problems"),
            next_steps=row.values.get("next_steps"),
            filed_at=self._filed_at(filed_on),
            filed_by=self.uow.actor,
        )
        moves = self.moves.get(task.id, [])
        move = file_report(
            task,
            report,
            is_leaf=is_leaf(self.children.get(task.id, [])),
            today=self.today,
            previous=moves[-1] if moves else None,
            at=self.now,
            history=TaskHistory(moves),
            filed_on=filed_on,
        )
        if move is not None:
            unit.task_transitions.add(move)
            self._started[row.number] = move
        unit.progress_reports.add(report)
        return CREATED, report

    def remember(self, row: ParsedRow, found, written: ProgressReport) -> None:
        self.reports[written.task_id].append(written)
        move = self._started.pop(row.number, None)
        if move is not None:
            self.moves.setdefault(written.task_id, []).append(move)

    def _filed_at(self, filed_on: date) -> datetime:
        """Filed today: now; on another day: that day's first moment in Asia/Shanghai (its hour unknown)."""
        return self.now if day_of(self.now) == filed_on else start_of(filed_on)


def _same(report: ProgressReport, values: dict[str, Any], filed_on: date) -> bool:
    """The stored report says what the row says: the same period, filing day and words."""
    if report.period != values.get("period") or day_of(report.filed_at) != filed_on:
        return False
    return all(getattr(report, name) == values.get(name) for name in WORDS)
