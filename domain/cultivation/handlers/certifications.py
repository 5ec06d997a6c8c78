"""Certifications (认定/入库): record, correct and revoke designations; a moved tier is an event."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.cultivation.certifications import Certification, derived_expiry
from domain.cultivation.handlers._common import get_enterprise, tier_changed
from domain.cultivation.ports import CultivationUnitOfWork
from domain.cultivation.tiers import tier_on
from domain.shared.errors import IllegalTransition, InvalidValue, NotFound
from domain.shared.uow import Expectation, no_expectation

EDITABLE = ("number", "issued_on", "expires_on", "authority")


async def certifications_page(
    enterprise_id: str, *, uow: CultivationUnitOfWork, after: str | None, limit: int
) -> list[Certification]:
    """limit + 1 certifications of the enterprise in id (recording) order."""
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    return await uow.certifications.page_of(enterprise.id, after=after, limit=limit)


async def get_certification(
    enterprise_id: str, certification_id: str, *, uow: CultivationUnitOfWork
) -> Certification:
    """One certification of that enterprise, or NotFound (404)."""
    certification = await uow.certifications.get(certification_id)
    if certification is None or certification.enterprise_id != enterprise_id:
        raise NotFound(
            f"enterprise {enterprise_id} has no certification {certification_id}",
            f"企业 {enterprise_id} 无认定记录 {certification_id}",
        )
    return certification


async def add_certification(
    enterprise_id: str, data: dict[str, Any], *, uow: CultivationUnitOfWork, today: date
) -> Certification:
    """Record a designation; its expiry is derived where DOMAIN.md fixes it, required where it does not."""
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    held = await uow.certifications.of_enterprise(enterprise.id)
    certification = Certification(enterprise_id=enterprise.id, **data)
    _record_tier_change(uow, held, [*held, certification], today, f"{certification.label()} recorded")
    uow.certifications.add(certification)
    await uow.commit()
    return certification


async def change_certification(
    enterprise_id: str,
    certification_id: str,
    changes: dict[str, Any],
    *,
    uow: CultivationUnitOfWork,
    today: date,
    expect: Expectation = no_expectation,
) -> Certification:
    """Correct number, dates or authority, and/or revoke ({"revoked": true, "revoked_on", "reason"}).

    `expect` is what the caller saw of it (If-Match); a revocation is final: revoking twice or un-revoking
    is a 409.
    """
    certification = await get_certification(enterprise_id, certification_id, uow=uow)
    expect(certification)
    changes = dict(changes)
    revoke = changes.pop("revoked", None)
    revocation = {k: changes.pop(k) for k in ("revoked_on", "reason") if k in changes}
    held = await uow.certifications.of_enterprise(certification.enterprise_id)
    before = tier_on(held, today)
    if changes:
        _correct(certification, changes)
    if revoke is True:
        certification.revoke(revocation.get("revoked_on"), revocation.get("reason"))
    elif revoke is False and certification.revoked:
        raise IllegalTransition("a revocation cannot be undone", "撤销不可恢复")
    elif revocation:
        raise InvalidValue(
            'revoked_on and reason go with "revoked": true',
            "撤销日期和原因须与撤销标记一同提交",
            field="revoked",
        )
    what = "revoked" if revoke is True else "corrected"
    event = tier_changed(
        certification.enterprise_id, before, tier_on(held, today), today, f"{certification.label()} {what}"
    )
    if event is not None:
        uow.record(event)
    await uow.commit()
    return certification


def _correct(certification: Certification, changes: dict[str, Any]) -> None:
    # Validate the corrected whole first (a refused change leaves nothing half-applied); a derived
    # expiry follows a new issue date unless an expiry is given (and then it must be the derived one).
    values = {name: getattr(certification, name) for name in EDITABLE} | changes
    if "expires_on" not in changes and derived_expiry(certification.kind, values["issued_on"]) is not None:
        values["expires_on"] = None
    candidate = Certification(
        enterprise_id=certification.enterprise_id,
        kind=certification.kind,
        revoked=certification.revoked,
        revoked_on=certification.revoked_on,
        revoke_reason=certification.revoke_reason,
        **values,
    )
    for name in EDITABLE:
        setattr(certification, name, getattr(candidate, name))


def _record_tier_change(
    uow: CultivationUnitOfWork, before: list, after: list, today: date, cause: str
) -> None:
    event = tier_changed(after[-1].enterprise_id, tier_on(before, today), tier_on(after, today), today, cause)
    if event is not None:
        uow.record(event)
