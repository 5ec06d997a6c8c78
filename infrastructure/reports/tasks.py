"""三、重点任务推进情况: the key tasks and their sections, the counts, the tasks behind schedule by lead
department, the extensions granted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docx.document import Document

from infrastructure.reports.labels import (
    ESCALATION,
    LIGHT,
    NO_LEAD,
    TASK_STATUS,
    label,
    shown,
    zh_date,
)
from infrastructure.reports.word import Cell, Column, add_table, heading, para

COUNTED = (
    ("warning", "预警", LIGHT),
    ("status", "任务状态", TASK_STATUS),
    ("escalation", "督办级别", ESCALATION),
)


def write(document: Document, evaluation: Mapping[str, Any]) -> None:
    as_of = zh_date(evaluation.get("as_of"))
    heading(document, "三、重点任务推进情况", level=1)
    heading(document, "（一）重点任务及分项任务", level=2)
    para(document, f"进度、预警、状态与督办级别均为截至{as_of}的情况；加粗行为重点任务，其下为分项任务。")
    _key_tasks(document, evaluation.get("tasks") or [])
    heading(document, "（二）预警、状态与督办统计", level=2)
    para(document, "以下统计覆盖规划的全部任务（含各级分项与具体工作）。")
    _counts(document, evaluation.get("counts") or {})
    heading(document, "（三）进度滞后任务", level=2)
    _behind(document, evaluation.get("behind_schedule") or [])
    heading(document, "（四）延期情况", level=2)
    _extensions(document, evaluation.get("extensions") or [])


def _key_tasks(document: Document, tasks: list[Mapping[str, Any]]) -> None:
    if not tasks:
        para(document, "本规划暂无重点任务。")
        return
    columns = [
        Column("编号", 1.1),
        Column("任务", 4.4),
        Column("牵头部门", 2.5),
        Column("完成时限", 1.9),
        Column("进度（%）", 1.2, numeric=True),
        Column("预警", 1.2),
        Column("状态", 1.3),
        Column("督办", 1.3),
        Column("逾期", 1.1),
    ]
    rows = []
    for task in tasks:
        rows.append(_task_row(task, key=True))
        rows.extend(_task_row(section, key=False) for section in task.get("sections") or ())
    add_table(document, columns, rows)


def _task_row(task: Mapping[str, Any], *, key: bool) -> list[str | Cell]:
    return [
        Cell(shown(task.get("code")), bold=key),
        Cell(task["title"], bold=key, indent=0 if key else 1),
        task.get("lead_department_name") or NO_LEAD,
        shown(task.get("due_date")),
        shown(task.get("progress")),
        label(LIGHT, task.get("warning")),
        label(TASK_STATUS, task.get("status")),
        label(ESCALATION, task.get("escalation")),
        shown(task.get("overdue")),
    ]


def _counts(document: Document, counts: Mapping[str, Mapping[str, int]]) -> None:
    columns = [Column("类别", 3.0), Column("项目", 3.0), Column("任务数", 2.0, numeric=True)]
    rows = [
        [title, label(labels, value), shown(count)]
        for key, title, labels in COUNTED
        for value, count in (counts.get(key) or {}).items()
    ]
    add_table(document, columns, rows)


def _behind(document: Document, groups: list[Mapping[str, Any]]) -> None:
    if not groups:
        para(document, "截至评估日，无进度滞后（红灯、黄灯）的任务。")
        return
    para(document, "进度滞后（亮红灯或黄灯）的任务，按牵头部门列示。")
    columns = [
        Column("编号", 1.4),
        Column("任务", 7.0),
        Column("进度（%）", 1.4, numeric=True),
        Column("预警", 1.2),
        Column("状态", 1.4),
        Column("督办", 1.4),
        Column("完成时限", 2.2),
    ]
    for group in groups:
        heading(document, f"牵头部门：{group.get('lead_department_name') or NO_LEAD}", level=3)
        rows = [
            [
                shown(task.get("code")),
                task["title"],
                shown(task.get("progress")),
                label(LIGHT, task.get("warning")),
                label(TASK_STATUS, task.get("status")),
                label(ESCALATION, task.get("escalation")),
                shown(task.get("due_date")),
            ]
            for task in group.get("tasks") or ()
        ]
        add_table(document, columns, rows)


def _extensions(document: Document, extensions: list[Mapping[str, Any]]) -> None:
    if not extensions:
        para(document, "评估期内未批准任务延期。")
        return
    para(document, "经批准延长完成时限的任务：")
    columns = [
        Column("编号", 1.2),
        Column("任务", 4.0),
        Column("原完成时限", 2.0),
        Column("新完成时限", 2.0),
        Column("批准日期", 2.0),
        Column("说明", 4.8),
    ]
    rows = [
        [
            shown(e.get("code")),
            e["title"],
            shown(e.get("previous_due_date")),
            shown(e.get("new_due_date")),
            shown(e.get("decided_on")),
            e.get("note") or "",
        ]
        for e in extensions
    ]
    add_table(document, columns, rows)
