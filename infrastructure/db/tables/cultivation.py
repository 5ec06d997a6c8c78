"""Tables of enterprise cultivation: enterprises, certifications, annual metrics, pool memberships, and the
stored derivations of certifications (validity intervals, tiers)."""

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from domain.cultivation.certifications import CertificationKind
from domain.cultivation.enterprises import EnterpriseStatus
from domain.cultivation.pools import PoolKind
from domain.cultivation.tiers import Tier
from infrastructure.db.metadata import metadata
from infrastructure.db.types import ExactDecimal, JsonDocument, enum_column

Id = String(32)

enterprises = Table(
    "enterprises",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("aliases", JsonDocument(), nullable=False),
    # name, aliases and credit code, lower-cased and joined: what `q` searches (kept by the repository).
    Column("search_text", String(2000), nullable=False, server_default=""),
    Column("credit_code", String(18), nullable=True, unique=True),
    Column("registered_on", Date, nullable=True),
    Column("cluster", String(64), nullable=True),
    Column("status", enum_column(EnterpriseStatus), nullable=False, index=True),
    Column("listed", Boolean, nullable=True),
    Column("stock_code", String(32), nullable=True),
    Column("listed_on", Date, nullable=True),
    Column("officer_id", Id, ForeignKey("users.id"), nullable=True),
    Column("version", Integer, nullable=False),
)
# The registry's page of one cluster (组团) is in id order: walked in this index, it stops at the page's end
# (by cluster alone, every enterprise of the cluster was sorted for each page: 5,000 at the stress scale).
Index("ix_enterprises_cluster_id", enterprises.c.cluster, enterprises.c.id)
# Indicator 11 counts the listed among the active enterprises: read from this index alone.
Index("ix_enterprises_listing", enterprises.c.status, enterprises.c.listed, enterprises.c.listed_on)
# A chain's coverage asks of each linked enterprise only whether it is active: this index answers it without
# reading the enterprise's row.
Index("ix_enterprises_activity", enterprises.c.id, enterprises.c.status)

certifications = Table(
    "certifications",
    metadata,
    Column("id", Id, primary_key=True),
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("kind", enum_column(CertificationKind), nullable=False, index=True),
    Column("number", String(64), nullable=True),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=True),
    Column("authority", String(200), nullable=True),
    Column("revoked", Boolean, nullable=False),
    Column("revoked_on", Date, nullable=True),
    Column("revoke_reason", String(500), nullable=True),
    Column("version", Integer, nullable=False),
)

annual_metrics = Table(
    "annual_metrics",
    metadata,
    Column("id", Id, primary_key=True),
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    *(
        Column(name, ExactDecimal(), nullable=True)
        for name in (
            "revenue",
            "main_business_revenue",
            "high_tech_revenue",
            "rd_expense",
            "rd_expense_domestic",
            "total_cost",
            "total_assets",
            "tax",
            "exports",
            "valuation",
            "equity_financing",
            "innovation_score",
        )
    ),
    *(Column(name, Integer, nullable=True) for name in ("employees", "tech_staff", "class1_ip", "class2_ip")),
    Column("award", Boolean, nullable=True),
    Column("runs_platform", Boolean, nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("enterprise_id", "year"),
)

# An enterprise is in a pool at most once at a time: the partial index holds it under concurrency too.
pool_memberships = Table(
    "pool_memberships",
    metadata,
    Column("id", Id, primary_key=True),
    Column("pool", enum_column(PoolKind), nullable=False),
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("entered_on", Date, nullable=False),
    Column("entered_by", String(255), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("left_on", Date, nullable=True),
    Column("left_reason", String(500), nullable=True),
    Column("version", Integer, nullable=False),
)
Index(
    "uq_pool_memberships_open",
    pool_memberships.c.pool,
    pool_memberships.c.enterprise_id,
    unique=True,
    postgresql_where=pool_memberships.c.left_on.is_(None),
    sqlite_where=pool_memberships.c.left_on.is_(None),
)


# Stored derivations (domain/cultivation/intervals.py), rewritten for an enterprise in the transaction of
# every write to its certifications (infrastructure/stored_tiers.py); `gaoxin verify` recomputes them.
# One row per certification valid on at least one day; valid_until is the last valid day (NULL: open).
certification_intervals = Table(
    "certification_intervals",
    metadata,
    Column("certification_id", Id, ForeignKey("certifications.id"), primary_key=True),
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("kind", enum_column(CertificationKind), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
)

# 持有时段 (domain/cultivation/intervals.py HoldingSpan): the days over which an enterprise holds exactly
# `kinds` (its kinds' values, sorted, comma-separated), written with its intervals by the same step together
# with whether the enterprise is active (a change of its status rewrites them). "The sets of kinds the active
# enterprises hold on D" reads one row of the index below per enterprise, grouped by `kinds`.
holding_spans = Table(
    "holding_spans",
    metadata,
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("valid_until", Date, nullable=True),
    Column("kinds", String(255), nullable=False),
    Column("enterprise_active", Boolean, nullable=False),
)
Index(
    "ix_holding_spans_on",
    holding_spans.c.enterprise_active,
    holding_spans.c.valid_from,
    holding_spans.c.valid_until,
    holding_spans.c.kinds,
)

# An enterprise's tier on `computed_for`: a read for that day uses it, any other day computes. Read by
# enterprise; no index on the day, which every row shares after the sweep (SQLite chose one for a page's
# fifty tiers and read the day's row of every enterprise).
enterprise_tiers = Table(
    "enterprise_tiers",
    metadata,
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), primary_key=True),
    Column("tier", enum_column(Tier), nullable=False),
    Column("computed_for", Date, nullable=False),
)
