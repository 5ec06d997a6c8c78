"""year-end roll-ups: each task as it stood on 31 December of a closed plan year, stored by the daily sweep

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty at first: an evaluation of a closed year replays the history until the next daily sweep stores it.
    op.create_table(
        "task_year_ends",
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("plan_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("original_due_date", sa.Date(), nullable=True),
        sa.Column("urge_count", sa.Integer(), nullable=False),
        sa.Column("progress", sa.String(length=64), nullable=False),
        sa.Column("warning", sa.String(length=16), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("escalation", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_year_ends_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_task_year_ends_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "day", name=op.f("pk_task_year_ends")),
    )
    op.create_index("ix_task_year_ends_plan_day", "task_year_ends", ["plan_id", "day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_task_year_ends_plan_day", table_name="task_year_ends")
    op.drop_table("task_year_ends")
