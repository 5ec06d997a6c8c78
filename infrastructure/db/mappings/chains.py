"""Map the chains context's classes onto its tables."""

from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import relationship

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.nodes import Node, NodeLink
from domain.chains.targets import StageEntry, Target
from infrastructure.db.metadata import mapper_registry
from infrastructure.db.tables import chains as t


def map_chains() -> None:
    m = mapper_registry.map_imperatively
    m(Chain, t.chains, version_id_col=t.chains.c.version)
    m(ChiefAssignment, t.chief_assignments, exclude_properties=["scope_key"])
    m(Node, t.nodes, version_id_col=t.nodes.c.version)
    m(NodeLink, t.node_links)
    m(StageEntry, t.target_stage_entries)
    m(
        Target,
        t.targets,
        version_id_col=t.targets.c.version,
        properties={
            # The history is part of the target: loaded with it, kept in order, never shared.
            "stage_history": relationship(
                StageEntry,
                order_by=t.target_stage_entries.c.position,
                collection_class=ordering_list("position"),
                cascade="all, delete-orphan",
                lazy="selectin",
            )
        },
    )
