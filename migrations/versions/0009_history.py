"""history: task moves dated when they took effect, indicator notes, listing unknown

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:19:33

- `task_transitions`: each task's moves, appended, never rewritten (DOMAIN.md, History). A task already past
  `not_started` gets its moves back from the outbox's `task.status_changed` events where they exist (each
  dated on the event's `on`); where they do not (or do not reach its status), one move to its status dated
  on the migration day, marked `migrated`, its reason saying so. The log names how many of each.
- `indicators.note`, filled for the seeded plan's indicators whose notes the loader used to drop.
- `enterprises.listed` may be null (not known). A stored `false` was also what the registry wrote when no
  source said anything, so it cannot be told from "not known": it becomes null; an officer marks the
  enterprises known to be unlisted again. Downgrading turns null back into false.
- `ix_progress_reports_as_of`: the latest report counting on a past day, one probe a task.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import infrastructure.db.types
from domain.shared.ids import new_id

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
ZONE = ZoneInfo("Asia/Shanghai")
STATUSES = ("not_started", "in_progress", "suspended", "completed", "cancelled")
MIGRATED_REASON = (
    "迁移补录:此前的状态变更没有记录,日期取迁移当日 "
    "(migrated: the task's earlier moves left no record; dated on the migration day)"
)
# The seed's notes of the 2021–2025 plan's indicators (infrastructure/seed/data/plan.yaml) at this revision.
SEEDED_PLAN = "鞍山高新技术产业开发区国民经济和社会发展“十四五”规划"
SEEDED_NOTES = {
    2: "表1基期值95.3;正文一(一)1写2020年地区生产总值95亿元。以表为准,未改动。",
    6: "表1名称无括号单位;单位“个”取自正文二(四)2“形成4个百亿级产业集群”。",
    14: "表1基期值46;正文一(一)3写国家级9家、省级44家(合计53)。以表为准,未改动。",
    19: "表1名称为“园区企业在境外设立的研发机构(个)(含离岸孵化器和科技园区)”:单位“个”在名称中间,"
    "名称保留其余部分。",
    23: "表1名称写“(%)”,但2025年目标栏写“0.4吨标准煤/万元”:单位取吨标准煤/万元,目标0.4;2020年栏为“-”。"
    "唯一约束性、唯一下降型指标。",
}


def _status() -> sa.Enum:
    return sa.Enum(*STATUSES, name="taskstatus", native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "task_transitions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", _status(), nullable=False),
        sa.Column("to_status", _status(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=255), nullable=True),
        sa.Column("at", infrastructure.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("migrated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_transitions_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_transitions")),
        sa.UniqueConstraint("task_id", "seq", name=op.f("uq_task_transitions_task_id_seq")),
    )
    with op.batch_alter_table("task_transitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_task_transitions_as_of",
            ["task_id", "on", "seq"],
            unique=False,
            postgresql_include=["to_status"],
        )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.alter_column("listed", existing_type=sa.BOOLEAN(), nullable=True)
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_progress_reports_as_of",
            ["task_id", "period", "filed_at", "id", "returned_at"],
            unique=False,
            postgresql_include=["percent"],
        )
    connection = op.get_bind()
    _rebuild_transitions(connection)
    _seed_notes(connection)
    enterprises = sa.table("enterprises", sa.column("listed", sa.Boolean))
    connection.execute(sa.update(enterprises).where(enterprises.c.listed.is_(False)).values(listed=None))


def downgrade() -> None:
    enterprises = sa.table("enterprises", sa.column("listed", sa.Boolean))
    op.get_bind().execute(sa.update(enterprises).where(enterprises.c.listed.is_(None)).values(listed=False))
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_reports_as_of", postgresql_include=["percent"])
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("note")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.alter_column("listed", existing_type=sa.BOOLEAN(), nullable=False)
    with op.batch_alter_table("task_transitions", schema=None) as batch_op:
        batch_op.drop_index("ix_task_transitions_as_of", postgresql_include=["to_status"])
    op.drop_table("task_transitions")


# (from, to) → the action a migrated move is recorded as (by its target alone when the pair is no move).
_ACTIONS = {
    ("not_started", "in_progress"): "start",
    ("suspended", "in_progress"): "resume",
    ("completed", "in_progress"): "reopen",
}
_BY_TARGET = {"in_progress": "start", "completed": "complete", "suspended": "suspend", "cancelled": "cancel"}


def _rebuild_transitions(connection) -> None:
    tasks = sa.table("tasks", sa.column("id", sa.String), sa.column("status", sa.String))
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("txid", sa.BigInteger),
        sa.column("type", sa.String),
        sa.column("subject_type", sa.String),
        sa.column("subject_id", sa.String),
        sa.column("data", sa.JSON),
        sa.column("occurred_at", infrastructure.db.types.UtcDateTime()),
    )
    moved = {
        row.id: row.status
        for row in connection.execute(
            sa.select(tasks.c.id, tasks.c.status).where(tasks.c.status != "not_started")
        )
    }
    if not moved:
        return
    events = defaultdict(list)
    rows = connection.execute(
        sa.select(outbox.c.subject_id, outbox.c.data, outbox.c.occurred_at)
        .where(outbox.c.type == "task.status_changed", outbox.c.subject_type == "task")
        .order_by(outbox.c.txid, outbox.c.id)
    )
    for subject_id, data, occurred_at in rows:
        if subject_id in moved:
            events[subject_id].append((json.loads(data) if isinstance(data, str) else data, occurred_at))
    now = datetime.now(UTC)
    today = now.astimezone(ZONE).date()
    rebuilt = migrated = 0
    values = []
    for task_id, status in moved.items():
        moves = _moves_of(task_id, events.get(task_id, []))
        current = moves[-1]["to_status"] if moves else "not_started"
        rebuilt += bool(moves)
        if current != status:
            migrated += 1
            moves.append(
                _move(
                    task_id,
                    len(moves) + 1,
                    _ACTIONS.get((current, status), _BY_TARGET.get(status, "start")),
                    current,
                    status,
                    max(today, moves[-1]["on"]) if moves else today,
                    MIGRATED_REASON,
                    now,
                    migrated=True,
                )
            )
        values.extend(moves)
    transitions = sa.table(
        "task_transitions",
        *(sa.column(name) for name in ("id", "task_id", "seq", "action", "from_status", "to_status", "on")),
        *(sa.column(name) for name in ("reason", "by", "migrated")),
        sa.column("at", infrastructure.db.types.UtcDateTime()),
    )
    for start in range(0, len(values), 500):
        connection.execute(sa.insert(transitions), values[start : start + 500])
    log.info(
        "task history: %d tasks past not_started; %d with moves rebuilt from task.status_changed events, "
        "%d given one move dated %s marked migrated",
        len(moved),
        rebuilt,
        migrated,
        today.isoformat(),
    )


def _moves_of(task_id: str, events: list) -> list[dict]:
    """The task's moves from its events, in commit order, each dated on its `on` (never before the last)."""
    moves: list[dict] = []
    for data, occurred_at in events:
        on = date.fromisoformat(data["on"]) if data.get("on") else occurred_at.astimezone(ZONE).date()
        if moves and on < moves[-1]["on"]:
            on = moves[-1]["on"]
        moves.append(
            _move(
                task_id,
                len(moves) + 1,
                data.get("action") or _BY_TARGET.get(data["to"], "start"),
                data.get("from") or (moves[-1]["to_status"] if moves else "not_started"),
                data["to"],
                on,
                data.get("reason"),
                occurred_at,
            )
        )
    return moves


def _move(task_id, seq, action, from_status, to_status, on, reason, at, *, migrated=False) -> dict:
    return {
        "id": new_id(),
        "task_id": task_id,
        "seq": seq,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "on": on,
        "reason": reason,
        "by": None,
        "at": at,
        "migrated": migrated,
    }


def _seed_notes(connection) -> None:
    plans = sa.table("plans", sa.column("id", sa.String), sa.column("title", sa.String))
    indicators = sa.table(
        "indicators",
        sa.column("plan_id", sa.String),
        sa.column("code", sa.Integer),
        sa.column("note", sa.Text),
    )
    seeded = sa.select(plans.c.id).where(plans.c.title == SEEDED_PLAN).scalar_subquery()
    for code, note in SEEDED_NOTES.items():
        connection.execute(
            sa.update(indicators)
            .where(indicators.c.plan_id == seeded, indicators.c.code == code, indicators.c.note.is_(None))
            .values(note=note)
        )
