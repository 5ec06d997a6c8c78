"""The catalogue of domain events neighbours may subscribe to (DOMAIN.md, "Events")."""

from __future__ import annotations

EVENT_TYPES: tuple[str, ...] = (
    "task.created",
    "task.status_changed",
    "task.progress_reported",
    "task.report_returned",
    "task.extension_decided",
    "task.urged",
    "task.overdue",
    "indicator.observed",
    "enterprise.registered",
    "enterprise.tier_changed",
    "certification.expiring",
    "pool.member_added",
    "pool.member_removed",
    "chain.chief_assigned",
    "chain.node_gap_opened",
    "chain.node_gap_closed",
    "target.stage_changed",
)
