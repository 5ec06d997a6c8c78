"""holding spans: the days over which each enterprise holds exactly a set of kinds, with its activity

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 17:00:00

The spans of the intervals already stored are written here by the domain's rule
(domain/cultivation/intervals.py `holding_spans`); the index the holder count read before goes, since the
spans now answer "who holds what on day D".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.cultivation.certifications import CertificationKind
from domain.cultivation.intervals import CertificationInterval, holding_spans

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    spans = op.create_table(
        "holding_spans",
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("kinds", sa.String(length=255), nullable=False),
        sa.Column("enterprise_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_holding_spans_enterprise_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("enterprise_id", "valid_from", name=op.f("pk_holding_spans")),
    )
    op.create_index(
        "ix_holding_spans_on",
        "holding_spans",
        ["enterprise_active", "valid_from", "valid_until", "kinds"],
        unique=False,
    )
    _write_spans(spans)
    with op.batch_alter_table("certification_intervals", schema=None) as batch_op:
        batch_op.drop_index("ix_certification_intervals_holders")


def _write_spans(spans: sa.Table) -> None:
    i = sa.table(
        "certification_intervals",
        *(sa.column(name) for name in ("certification_id", "enterprise_id", "kind")),
        sa.column("valid_from", sa.Date()),
        sa.column("valid_until", sa.Date()),
    )
    e = sa.table("enterprises", sa.column("id"), sa.column("status"))
    bind = op.get_bind()
    active = {row.id for row in bind.execute(sa.select(e.c.id).where(e.c.status == "active"))}
    rows = bind.execute(
        sa.select(i.c.certification_id, i.c.enterprise_id, i.c.kind, i.c.valid_from, i.c.valid_until)
    )
    intervals = [
        CertificationInterval(row[0], row[1], CertificationKind(row[2]), row[3], row[4]) for row in rows
    ]
    values = [
        {
            "enterprise_id": span.enterprise_id,
            "valid_from": span.valid_from,
            "valid_until": span.valid_until,
            "kinds": ",".join(sorted(kind.value for kind in span.kinds)),
            "enterprise_active": span.enterprise_id in active,
        }
        for span in holding_spans(intervals)
    ]
    if values:
        op.bulk_insert(spans, values)


def downgrade() -> None:
    with op.batch_alter_table("certification_intervals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_certification_intervals_holders", ["kind", "valid_from", "valid_until"], unique=False
        )
    op.drop_index("ix_holding_spans_on", table_name="holding_spans")
    op.drop_table("holding_spans")
