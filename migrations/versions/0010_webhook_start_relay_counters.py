"""a webhook follows the event feed from its creation (or a `since` cursor); the relay's counters

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infrastructure.db.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "relay_counters",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", infrastructure.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_relay_counters")),
    )
    # Existing endpoints keep following every event not yet relayed, as before (start_row 0, no snapshot).
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_row", sa.BigInteger(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("start_snapshot", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_table("relay_counters")
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_column("start_snapshot")
        batch_op.drop_column("start_row")
