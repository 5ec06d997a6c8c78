"""Tables of industry chains: chains, chief assignments, nodes, enterprise links, targets and their stages."""

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from domain.chains.nodes import NodeLinkRole, Stage
from domain.chains.targets import TargetStage
from infrastructure.db.metadata import metadata
from infrastructure.db.types import ExactDecimal, enum_column

Id = String(32)
GENERAL_CHIEF_KEY = "*general*"  # stands for "no chain" in the one-active-chief index


def _scope_key(context) -> str:
    return context.get_current_parameters()["chain_id"] or GENERAL_CHIEF_KEY


chains = Table(
    "chains",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(64), nullable=True, unique=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("group", String(64), nullable=True),
    Column("description", Text, nullable=True),
    Column("leader_enterprise_id", Id, ForeignKey("enterprises.id"), nullable=True),
    Column("version", Integer, nullable=False),
)

# chain_id null: the general chief (总链长). At most one active (until null) per chain — and one general
# chief — enforced by the partial unique index too, so that concurrent assignments cannot both win.
chief_assignments = Table(
    "chief_assignments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("chain_id", Id, ForeignKey("chains.id"), nullable=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("since", Date, nullable=False),
    Column("until", Date, nullable=True),
    Column("assigned_by", String(255), nullable=True),
    # chain_id, or GENERAL_CHIEF_KEY for the general chief: NULLs never collide in a unique index.
    Column("scope_key", String(32), nullable=False, default=_scope_key),
    Index("ix_chief_assignments_chain", "chain_id", "since"),
)
Index(
    "uq_chief_assignments_active",
    chief_assignments.c.scope_key,
    unique=True,
    postgresql_where=chief_assignments.c.until.is_(None),
    sqlite_where=chief_assignments.c.until.is_(None),
)

nodes = Table(
    "chain_nodes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("chain_id", Id, ForeignKey("chains.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("stage", enum_column(Stage), nullable=False),
    Column("parent_id", Id, ForeignKey("chain_nodes.id"), nullable=True, index=True),
    Column("version", Integer, nullable=False),
)

node_links = Table(
    "chain_node_links",
    metadata,
    Column("id", Id, primary_key=True),
    Column("node_id", Id, ForeignKey("chain_nodes.id"), nullable=False),
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("role", enum_column(NodeLinkRole), nullable=False),
    UniqueConstraint("node_id", "enterprise_id"),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Id, primary_key=True),
    Column("chain_id", Id, ForeignKey("chains.id"), nullable=False, index=True),
    Column("node_id", Id, ForeignKey("chain_nodes.id"), nullable=True, index=True),
    Column("company_name", String(300), nullable=False),
    Column("planned_investment", ExactDecimal(), nullable=True),
    Column("contact", String(300), nullable=True),
    Column("note", Text, nullable=True),
    Column("stage", enum_column(TargetStage), nullable=False),
    Column("enterprise_id", Id, ForeignKey("enterprises.id"), nullable=True),
    Column("version", Integer, nullable=False),
)

target_stage_entries = Table(
    "target_stage_entries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("target_id", Id, ForeignKey("targets.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("stage", enum_column(TargetStage), nullable=False),
    Column("date", Date, nullable=False),
    Column("note", Text, nullable=True),
    # A target enters a stage once (forward only, dropped once): so a count of entries is a count of targets.
    Index("uq_target_stage_entries_stage", "target_id", "stage", unique=True),
)
