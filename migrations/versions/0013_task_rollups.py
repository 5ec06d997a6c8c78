"""stored task roll-ups: each task's progress, light, overdue and escalation as computed for a day

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty at first: a read for today computes where no row is for today, and the next daily sweep (or the
    # next write under a task) fills the rows.
    op.create_table(
        "task_rollups",
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("progress", sa.String(length=64), nullable=False),
        sa.Column("warning", sa.String(length=16), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("escalation", sa.String(length=16), nullable=False),
        sa.Column("computed_for", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_rollups_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_task_rollups")),
    )


def downgrade() -> None:
    op.drop_table("task_rollups")
