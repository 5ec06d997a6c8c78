"""The audit log (审计日志): read and verify; nothing here or anywhere else alters it."""

from __future__ import annotations

from fastapi import APIRouter

from domain.identity.audit import verify_chain
from domain.identity.policy import Action
from services.api.deps import UowDep
from services.api.pagination import PageDep
from services.api.schemas.base import IsoDateTime, Page
from services.api.schemas.identity import AuditEntryOut, AuditVerifyOut
from services.api.security import requires

router = APIRouter(prefix="/api/v1/audit-log", tags=["identity"])
Auditor = requires(Action.AUDIT_READ)


def _entry(row) -> dict:
    return {**row._mapping, "id": str(row.id)}


@router.get("", response_model=Page[AuditEntryOut])
async def list_entries(
    page: PageDep,
    uow: UowDep,
    _: Auditor,
    resource_type: str | None = None,
    resource_id: str | None = None,
    actor: str | None = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
):
    """List entries, oldest first, filtered by resource, actor and time."""
    filters = {
        "resource_type": resource_type,
        "resource_id": resource_id,
        "actor": actor,
        "since": since,
        "until": until,
    }
    after = page.after_key(filters)
    rows = await uow.audit_log.page(**filters, after=int(after) if after else None, limit=page.limit)
    return page.page(rows, [_entry(r) for r in rows], key=lambda r: [str(r.id)], filters=filters)


@router.get("/verify", response_model=AuditVerifyOut)
async def verify(uow: UowDep, _: Auditor):
    """Walk the hash chain: `valid` false names the first entry that was altered or follows a removed one."""
    rows = [row async for row in uow.audit_log.walk()]
    check = verify_chain(rows)
    return AuditVerifyOut(
        valid=check.valid,
        entries=check.entries,
        first_broken_id=str(check.first_broken_id) if check.first_broken_id else None,
    )
