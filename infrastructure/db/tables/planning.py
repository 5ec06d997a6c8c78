"""Tables of planning: plans, tasks and their moves, progress reports, attachments, extensions, urges,
indicators."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from domain.planning.indicators import Direction, Nature
from domain.planning.tasks import TaskStatus
from domain.planning.workflow import ExtensionStatus
from infrastructure.db.metadata import metadata
from infrastructure.db.types import ExactDecimal, JsonDocument, UtcDateTime, enum_column

Id = String(32)

plans = Table(
    "plans",
    metadata,
    Column("id", Id, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("start_year", Integer, nullable=False),
    Column("end_year", Integer, nullable=False),
    Column("issuer", String(200), nullable=True),
    Column("issued", String(7), nullable=True),
    Column("version", Integer, nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("plan_id", Id, ForeignKey("plans.id"), nullable=False, index=True),
    Column("parent_id", Id, ForeignKey("tasks.id"), nullable=True, index=True),
    Column("code", String(64), nullable=True),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=True),
    Column("lead_department_id", Id, ForeignKey("departments.id"), nullable=True, index=True),
    Column("co_department_ids", JsonDocument(), nullable=False),
    Column("start_date", Date, nullable=True),
    Column("due_date", Date, nullable=True),
    Column("original_due_date", Date, nullable=True),
    Column("weight", ExactDecimal(), nullable=False),
    Column("status", enum_column(TaskStatus), nullable=False, index=True),
    Column("indicator_ids", JsonDocument(), nullable=False),
    Column("urge_count", Integer, nullable=False),
    # The previous plan's task this one continues (a successor plan's carried task); its own record since.
    Column("carried_from", Id, ForeignKey("tasks.id"), nullable=True, index=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("plan_id", "code"),
)

# A task's moves (DOMAIN.md, History), appended, never rewritten. `seq` orders a task's moves of one day;
# the index finds the last move dated ≤ D of each task in one probe (the tree of a past date).
task_transitions = Table(
    "task_transitions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("task_id", Id, ForeignKey("tasks.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("action", String(16), nullable=False),
    Column("from_status", enum_column(TaskStatus), nullable=False),
    Column("to_status", enum_column(TaskStatus), nullable=False),
    Column("on", Date, nullable=False),
    Column("reason", Text, nullable=True),
    Column("by", String(255), nullable=True),
    Column("at", UtcDateTime, nullable=False),
    Column("migrated", Boolean, nullable=False),
    UniqueConstraint("task_id", "seq"),
    Index("ix_task_transitions_as_of", "task_id", "on", "seq", postgresql_include=["to_status"]),
)

progress_reports = Table(
    "progress_reports",
    metadata,
    Column("id", Id, primary_key=True),
    Column("task_id", Id, ForeignKey("tasks.id"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("percent", ExactDecimal(), nullable=False),
    Column("summary", Text, nullable=False),
    Column("problems", Text, nullable=True),
    Column("next_steps", Text, nullable=True),
    Column("attachment_ids", JsonDocument(), nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("filed_by", String(255), nullable=True),
    Column("returned", Boolean, nullable=False),
    Column("return_comment", Text, nullable=True),
    Column("returned_at", UtcDateTime, nullable=True),
    Column("returned_by", String(255), nullable=True),
    Column("version", Integer, nullable=False),
    Index("ix_progress_reports_task_period", "task_id", "period"),
    # Each task's latest non-returned report in one probe (the tree, the task list, the evaluation);
    # PostgreSQL answers from the index alone with the percent included.
    Index(
        "ix_progress_reports_latest",
        "task_id",
        "returned",
        "period",
        "filed_at",
        "id",
        postgresql_include=["percent"],
    ),
    # The same on a past date D: reports of a period ≤ D's month not returned on or before D, returned or not
    # today (a report returned after D still counted on D).
    Index(
        "ix_progress_reports_as_of",
        "task_id",
        "period",
        "filed_at",
        "id",
        "returned_at",
        postgresql_include=["percent"],
    ),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("content_type", String(127), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(255), nullable=True),
    Column("uploaded_at", UtcDateTime, nullable=False),
)

extension_requests = Table(
    "extension_requests",
    metadata,
    Column("id", Id, primary_key=True),
    Column("task_id", Id, ForeignKey("tasks.id"), nullable=False, index=True),
    Column("new_due_date", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(255), nullable=True),
    Column("requested_at", UtcDateTime, nullable=True),
    Column("status", enum_column(ExtensionStatus), nullable=False),
    Column("decided_by", String(255), nullable=True),
    Column("note", Text, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)

urges = Table(
    "urges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("task_id", Id, ForeignKey("tasks.id"), nullable=False, index=True),
    Column("note", Text, nullable=True),
    Column("by", String(255), nullable=True),
    Column("at", UtcDateTime, nullable=False),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", Id, primary_key=True),
    Column("plan_id", Id, ForeignKey("plans.id"), nullable=False, index=True),
    Column("code", Integer, nullable=False),
    Column("area", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("baseline_year", Integer, nullable=False),
    Column("baseline_value", ExactDecimal(), nullable=True),
    Column("target_year", Integer, nullable=False),
    Column("target_value", ExactDecimal(), nullable=True),  # set by planners; a successor's starts empty
    Column("nature", enum_column(Nature), nullable=False),
    Column("direction", enum_column(Direction), nullable=False),
    Column("note", Text, nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("plan_id", "code"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("indicator_id", Id, ForeignKey("indicators.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", ExactDecimal(), nullable=False),
    Column("source", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("indicator_id", "year"),
)

# Each task's roll-up (domain/planning/rollups.py) as computed for one day: written in the transaction of
# every write that changes it (the unit of work's commit) and refreshed by the daily sweep; a read for today
# uses a row only if computed_for is today. The progress is the exact Decimal as text (an unrounded weighted
# mean has more places than a NUMERIC keeps, and a parent rolls up from its children's stored values).
task_rollups = Table(
    "task_rollups",
    metadata,
    Column("task_id", Id, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("progress", String(64), nullable=False),
    Column("warning", String(16), nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("escalation", String(16), nullable=False),
    Column("computed_for", Date, nullable=False),
)

# Each task as it stood on 31 December of a closed plan year (domain/planning/year_ends.py): written by the
# daily sweep for a whole plan and day at once, deleted for its plan by any write that reaches back to the
# day (the unit of work's commit). A read uses a plan's rows of a day only if every task of the plan has one.
task_year_ends = Table(
    "task_year_ends",
    metadata,
    Column("task_id", Id, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("plan_id", Id, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(32), nullable=False),
    Column("due_date", Date, nullable=True),
    Column("original_due_date", Date, nullable=True),
    Column("urge_count", Integer, nullable=False),
    Column("progress", String(64), nullable=False),
    Column("warning", String(16), nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("escalation", String(16), nullable=False),
    Index("ix_task_year_ends_plan_day", "plan_id", "day"),
)

# The stamp of each plan's day stored whole in task_year_ends: new each time the sweep stores the day, deleted
# with its rows, so a tree a process built from the rows under a stamp stands while that stamp does.
task_year_end_stamps = Table(
    "task_year_end_stamps",
    metadata,
    Column("plan_id", Id, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("stamp", String(32), nullable=False),
)
