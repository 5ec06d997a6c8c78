"""history: enterprises' listing may be unknown

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-06 06:19:33

- `enterprises.listed` may be null (not known). A stored `false` was also what the registry wrote when no
  source said anything, so it cannot be told from "not known": it becomes null; an officer marks the
  enterprises known to be unlisted again. Downgrading turns null back into false.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.alter_column("listed", existing_type=sa.BOOLEAN(), nullable=True)
    enterprises = sa.table("enterprises", sa.column("listed", sa.Boolean))
    op.get_bind().execute(sa.update(enterprises).where(enterprises.c.listed.is_(False)).values(listed=None))


def downgrade() -> None:
    enterprises = sa.table("enterprises", sa.column("listed", sa.Boolean))
    op.get_bind().execute(sa.update(enterprises).where(enterprises.c.listed.is_(None)).values(listed=False))
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.alter_column("listed", existing_type=sa.BOOLEAN(), nullable=False)
