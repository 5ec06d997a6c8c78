"""task year-end stamps: one per plan and day stored in task_year_ends, new each time the day is stored and
deleted with its rows, so that a process may keep the tree it built from them (domain/planning/year_ends.py);
the days stored before it get a stamp each

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    stamps = op.create_table(
        "task_year_end_stamps",
        sa.Column("plan_id", sa.String(32), sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("stamp", sa.String(32), nullable=False),
    )
    year_ends = sa.table("task_year_ends", sa.column("plan_id", sa.String(32)), sa.column("day", sa.Date()))
    days = op.get_bind().execute(sa.select(year_ends.c.plan_id, year_ends.c.day).distinct()).all()
    if days:
        op.bulk_insert(stamps, [{"plan_id": plan, "day": day, "stamp": uuid4().hex} for plan, day in days])


def downgrade() -> None:
    op.drop_table("task_year_end_stamps")
