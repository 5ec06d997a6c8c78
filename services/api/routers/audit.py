"""The audit log (审计日志): read and verify; nothing here or anywhere else alters it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.identity import security_events
from domain.identity.audit import Anchor
from domain.identity.policy import Action
from infrastructure import audit as audit_chain
from services.api.pagination import PageDep
from services.api.schemas.base import IsoDateTime, Page
from services.api.schemas.identity import AuditEntryOut, AuditVerifyOut
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/audit-log", tags=["identity"])
ACTION = Query(
    description="e.g. `user.update`, or a security event: "
    + ", ".join(f"`{a}`" for a in security_events.ACTIONS)
)
ANCHOR = Query(
    pattern=r"^[0-9]{1,18}:[0-9a-f]{64}$",
    description="`<entry id>:<hash>` as `gaoxin audit anchor` (or an earlier `head`) gave it: the log must "
    "still hold that entry with that hash — entries removed behind it are found",
)


def _entry(row) -> dict:
    return {**row._mapping, "id": str(row.id)}


@router.get("", response_model=Page[AuditEntryOut])
async def list_entries(
    page: PageDep,
    uow: unit_for(Action.AUDIT_READ),
    resource_type: str | None = None,
    resource_id: str | None = None,
    actor: str | None = None,
    action: Annotated[str | None, ACTION] = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
):
    """List entries, oldest first, filtered by resource, actor, action and time."""
    filters = {
        "resource_type": resource_type,
        "resource_id": resource_id,
        "actor": actor,
        "action": action,
        "since": since,
        "until": until,
    }
    after = page.after_key(filters)
    rows = await uow.audit_log.page(**filters, after=int(after) if after else None, limit=page.limit)
    return page.page(rows, [_entry(r) for r in rows], key=lambda r: [str(r.id)], filters=filters)


@router.get("/verify", response_model=AuditVerifyOut)
async def verify(uow: unit_for(Action.AUDIT_READ), anchor: Annotated[str | None, ANCHOR] = None):
    """Walk the keyed hash chain: `valid` false names the first entry altered, signed with an unknown key or
    following a removed one; with `anchor`, a log cut back behind it is found too (`reason`)."""
    check = await uow.audit_log.verify(audit_chain.keyring().keys, Anchor.parse(anchor) if anchor else None)
    return AuditVerifyOut(
        valid=check.valid,
        entries=check.entries,
        first_broken_id=str(check.first_broken_id) if check.first_broken_id else None,
        reason=check.reason,
        head=str(check.head) if check.head else None,
    )
