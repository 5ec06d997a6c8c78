"""enterprise activity indexes: the listed among the active, and each enterprise's activity by id, read from
an index alone (indicator 11, and a chain's coverage of active enterprises)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 17:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_enterprises_listing", "enterprises", ["status", "listed", "listed_on"], unique=False)
    op.create_index("ix_enterprises_activity", "enterprises", ["id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_enterprises_activity", table_name="enterprises")
    op.drop_index("ix_enterprises_listing", table_name="enterprises")
