"""The cultivation events, one constructor per type: the only place their `data` is shaped (the catalogue in
domain/integration/events.py says what each holds; tests/unit/test_event_constructors.py holds them to it).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.shared.events import DomainEvent

if TYPE_CHECKING:  # the entities import this module to raise their events
    from domain.cultivation.certifications import Certification
    from domain.cultivation.enterprises import Enterprise
    from domain.cultivation.pools import PoolMembership
    from domain.cultivation.tiers import TierChange


def enterprise_registered(enterprise: Enterprise) -> DomainEvent:
    """`enterprise.registered`: an enterprise entered the registry."""
    return DomainEvent(
        type="enterprise.registered",
        subject_type="enterprise",
        subject_id=enterprise.id,
        data={
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "registered_on": _iso(enterprise.registered_on),
            "cluster": enterprise.cluster,
            "status": str(enterprise.status),
        },
    )


def enterprise_tier_changed(enterprise_id: str, change: TierChange) -> DomainEvent:
    """`enterprise.tier_changed`: one shape wherever raised (by a write; by the daily sweep for a lapse)."""
    return DomainEvent(
        type="enterprise.tier_changed",
        subject_type="enterprise",
        subject_id=enterprise_id,
        data={"enterprise_id": enterprise_id, **change.as_dict()},
    )


def certification_expiring(certification: Certification, today: date) -> DomainEvent:
    """`certification.expiring`: its last valid day is near, counted from `today` (the daily sweep's day)."""
    expires_on = certification.expires_on
    return DomainEvent(
        type="certification.expiring",
        subject_type="certification",
        subject_id=certification.id,
        data={
            "enterprise_id": certification.enterprise_id,
            "kind": str(certification.kind),
            "number": certification.number,
            "expires_on": _iso(expires_on),
            "days_left": (expires_on - today).days if expires_on is not None else None,
        },
    )


def pool_member_added(membership: PoolMembership) -> DomainEvent:
    """`pool.member_added`: an enterprise entered a pool (入库)."""
    return DomainEvent(
        type="pool.member_added",
        subject_type="pool",
        subject_id=str(membership.pool),
        data={
            "membership_id": membership.id,
            "pool": str(membership.pool),
            "enterprise_id": membership.enterprise_id,
            "entered_on": membership.entered_on.isoformat(),
            "entered_by": membership.entered_by,
            "reason": membership.reason,
        },
    )


def pool_member_removed(membership: PoolMembership) -> DomainEvent:
    """`pool.member_removed`: an enterprise left a pool (出库)."""
    return DomainEvent(
        type="pool.member_removed",
        subject_type="pool",
        subject_id=str(membership.pool),
        data={
            "membership_id": membership.id,
            "pool": str(membership.pool),
            "enterprise_id": membership.enterprise_id,
            "left_on": _iso(membership.left_on),
            "reason": membership.left_reason,
        },
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
