"""target stage entries unique by target and stage: the domain's rule (a target enters a stage once) kept by
the database, so the pipeline counts targets by counting entries

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 22:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "uq_target_stage_entries_stage", "target_stage_entries", ["target_id", "stage"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_target_stage_entries_stage", table_name="target_stage_entries")
