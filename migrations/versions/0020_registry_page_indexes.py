"""registry page indexes: enterprises by cluster and id, so that the page of one cluster (组团) walks the
index in id order and stops at the page's end instead of sorting every enterprise of the cluster; and no
index on the day a stored tier was computed for, which every row shares after the sweep: SQLite chose it
for a page's fifty tiers and read every enterprise's row of the day

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 05:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_enterprises_cluster_id", "enterprises", ["cluster", "id"], unique=False)
    op.drop_index("ix_enterprises_cluster", table_name="enterprises")
    op.drop_index("ix_enterprise_tiers_computed_for", table_name="enterprise_tiers")


def downgrade() -> None:
    op.create_index("ix_enterprise_tiers_computed_for", "enterprise_tiers", ["computed_for"], unique=False)
    op.create_index("ix_enterprises_cluster", "enterprises", ["cluster"], unique=False)
    op.drop_index("ix_enterprises_cluster_id", table_name="enterprises")
