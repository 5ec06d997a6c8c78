"""the successor plan: an indicator target may wait for planners; a task names the task it was carried from

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infrastructure.db.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.alter_column(
            "target_value",
            existing_type=infrastructure.db.types.ExactDecimal(precision=24, scale=6),
            nullable=True,
        )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_tasks_carried_from"), ["carried_from"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_tasks_carried_from_tasks"), "tasks", ["carried_from"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tasks_carried_from_tasks"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tasks_carried_from"))
        batch_op.drop_column("carried_from")
    # An indicator still waiting for its target cannot go back: a downgrade refuses rather than invent one.
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.alter_column(
            "target_value",
            existing_type=infrastructure.db.types.ExactDecimal(precision=24, scale=6),
            nullable=False,
        )
