"""Certifications (认定/入库): an enterprise's designations, their validity and revocation."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response

from domain.cultivation.certifications import Certification
from domain.cultivation.handlers import certifications as handlers
from domain.identity.policy import Action
from services.api.etag import IfMatch, etag_of
from services.api.pagination import PageDep
from services.api.representation import represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.cultivation import (
    CertificationIn,
    CertificationOut,
    CertificationPatch,
    certification_fields,
)
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/enterprises/{enterprise_id}/certifications", tags=["cultivation"])


def _body(certification: Certification, today: date) -> dict:
    return represent(CertificationOut, certification_fields(certification, today))


def _single(response: Response, certification: Certification, today: date) -> CertificationOut:
    return single(response, CertificationOut, certification_fields(certification, today))


@router.get("", response_model=Page[Item(CertificationOut)])
async def list_certifications(enterprise_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """List the enterprise's certifications, revoked and expired ones included, in recording order."""
    rows = await handlers.certifications_page(
        enterprise_id, uow=uow, after=page.after_key({}), limit=page.limit
    )
    items = [{**body, "etag": etag_of(body)} for body in (_body(c, uow.clock.today()) for c in rows)]
    return page.page(rows, items, key=lambda c: [c.id], filters={})


@router.post("", status_code=201, response_model=CertificationOut)
async def add_certification(
    enterprise_id: str,
    body: CertificationIn,
    response: Response,
    uow: unit_for(Action.CULTIVATION_WRITE),
):
    """Record a designation; the expiry is derived where DOMAIN.md fixes it."""
    data = body.model_dump(exclude_unset=True)
    certification = await handlers.add_certification(enterprise_id, data, uow=uow, today=uow.clock.today())
    return _single(response, certification, uow.clock.today())


@router.get("/{certification_id}", response_model=CertificationOut)
async def get_certification(
    enterprise_id: str,
    certification_id: str,
    response: Response,
    uow: unit_for(Action.READ),
):
    """Read one certification with its validity today."""
    certification = await handlers.get_certification(enterprise_id, certification_id, uow=uow)
    return _single(response, certification, uow.clock.today())


@router.patch("/{certification_id}", response_model=CertificationOut)
async def patch_certification(
    enterprise_id: str,
    certification_id: str,
    body: CertificationPatch,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.CULTIVATION_WRITE),
):
    """Correct a certification or revoke it ({"revoked": true, "revoked_on", "reason"}; If-Match required)."""
    today = uow.clock.today()
    certification = await handlers.change_certification(
        enterprise_id,
        certification_id,
        body.model_dump(exclude_unset=True),
        uow=uow,
        today=today,
        expect=if_match.against(lambda current: _body(current, today)),
    )
    return _single(response, certification, today)
