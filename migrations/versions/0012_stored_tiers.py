"""stored derivations of certifications: validity intervals and each enterprise's tier on a day

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:20:00

The intervals of the certifications already recorded are written here (the domain's rule,
domain/cultivation/intervals.py); tiers are not: a read computes a missing one and the daily sweep stores it.
"""

from collections.abc import Sequence
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from domain.cultivation.intervals import interval_of

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "tech_sme",
    "hnte",
    "eaglet",
    "gazelle",
    "unicorn",
    "platform",
    "specialized",
    "little_giant",
    "above_scale",
)
TIERS = ("none", "tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform")


def upgrade() -> None:
    intervals = op.create_table(
        "certification_intervals",
        sa.Column("certification_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column(
            "kind", sa.Enum(*KINDS, name="certificationkind", native_enum=False, length=32), nullable=False
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certification_id"],
            ["certifications.id"],
            name=op.f("fk_certification_intervals_certification_id_certifications"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_certification_intervals_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("certification_id", name=op.f("pk_certification_intervals")),
    )
    with op.batch_alter_table("certification_intervals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_intervals_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            "ix_certification_intervals_holders", ["kind", "valid_from", "valid_until"], unique=False
        )
    op.create_table(
        "enterprise_tiers",
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("tier", sa.Enum(*TIERS, name="tier", native_enum=False, length=32), nullable=False),
        sa.Column("computed_for", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_enterprise_tiers_enterprise_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprise_tiers")),
    )
    with op.batch_alter_table("enterprise_tiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_tiers_computed_for"), ["computed_for"], unique=False)
    _write_intervals(intervals)


def _write_intervals(intervals: sa.Table) -> None:
    # The certifications recorded before this revision get their intervals from the same domain rule.
    k = sa.table(
        "certifications",
        *(sa.column(name) for name in ("id", "enterprise_id", "kind", "revoked")),
        sa.column("issued_on", sa.Date()),
        sa.column("expires_on", sa.Date()),
        sa.column("revoked_on", sa.Date()),
    )
    rows = op.get_bind().execute(
        sa.select(
            k.c.id, k.c.enterprise_id, k.c.kind, k.c.issued_on, k.c.expires_on, k.c.revoked, k.c.revoked_on
        )
    )
    found = [interval_of(SimpleNamespace(**row._mapping)) for row in rows]
    values = [
        {
            "certification_id": i.certification_id,
            "enterprise_id": i.enterprise_id,
            "kind": i.kind,
            "valid_from": i.valid_from,
            "valid_until": i.valid_until,
        }
        for i in found
        if i is not None
    ]
    if values:
        op.bulk_insert(intervals, values)


def downgrade() -> None:
    with op.batch_alter_table("enterprise_tiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_tiers_computed_for"))
    op.drop_table("enterprise_tiers")
    with op.batch_alter_table("certification_intervals", schema=None) as batch_op:
        batch_op.drop_index("ix_certification_intervals_holders")
        batch_op.drop_index(batch_op.f("ix_certification_intervals_enterprise_id"))
    op.drop_table("certification_intervals")
