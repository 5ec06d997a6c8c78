"""The chains events, one constructor per type: the only place their `data` is shaped (the catalogue in
domain/integration/events.py says what each holds; tests/unit/test_event_constructors.py holds them to it).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.shared.events import DomainEvent

if TYPE_CHECKING:  # the entities import this module to raise their events
    from domain.chains.chiefs import ChiefAssignment
    from domain.chains.targets import Target

# Subject type of `chain.chief_assigned` for the general chief, who has no chain (subject id: the assignment).
GENERAL_CHIEF_SUBJECT = "general_chief"


def chain_chief_assigned(assignment: ChiefAssignment, previous_user_id: str | None) -> DomainEvent:
    """`chain.chief_assigned`: about the chain, or for the general chief about the assignment itself."""
    chain_id = assignment.chain_id
    return DomainEvent(
        type="chain.chief_assigned",
        subject_type="chain" if chain_id is not None else GENERAL_CHIEF_SUBJECT,
        subject_id=chain_id if chain_id is not None else assignment.id,
        data={
            "chain_id": chain_id,
            "user_id": assignment.user_id,
            "since": assignment.since.isoformat(),
            "previous_user_id": previous_user_id,
        },
    )


def chain_node_gap_opened(chain_id: str, node_id: str) -> DomainEvent:
    """`chain.node_gap_opened`: a leaf node of the chain lost its last active enterprise."""
    return DomainEvent(
        type="chain.node_gap_opened",
        subject_type="chain",
        subject_id=chain_id,
        data={"chain_id": chain_id, "node_id": node_id},
    )


def chain_node_gap_closed(chain_id: str, node_id: str, *, node_removed: bool) -> DomainEvent:
    """`chain.node_gap_closed`: a gap closed, by a link or because its node was removed."""
    return DomainEvent(
        type="chain.node_gap_closed",
        subject_type="chain",
        subject_id=chain_id,
        data={"chain_id": chain_id, "node_id": node_id, "node_removed": node_removed},
    )


def target_stage_changed(target: Target, previous: str | None, on: date) -> DomainEvent:
    """`target.stage_changed`: `target` entered its current stage on `on` (`previous` None when new)."""
    return DomainEvent(
        type="target.stage_changed",
        subject_type="target",
        subject_id=target.id,
        data={"from": previous, "to": str(target.stage), "date": on.isoformat()},
    )
