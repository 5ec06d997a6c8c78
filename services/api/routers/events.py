"""The event feed (事件流): every committed domain event, in commit order, resumable by cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from domain.identity.policy import Action
from domain.integration.events import CATALOGUE
from domain.integration.handlers.feed import read_feed
from services.api.pagination import MAX_LIMIT, decode_cursor, encode_cursor
from services.api.schemas.integration import EventPage
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/events", tags=["integration"])
START = "start"
FEED_START = (-1, 0)


def feed_position(cursor: str, secret: bytes) -> tuple[int, int]:
    """The (txid, row) position a feed cursor stands for; `start` is before every event (400 if forged)."""
    if cursor == START:
        return FEED_START
    txid, row_id = decode_cursor(cursor, {}, secret)
    return int(txid), int(row_id)


def _catalogue() -> str:
    """The feed's description: each event type's subject and `data` members (docs/EVENTS.md in words)."""
    lines = [
        "Read events after a cursor; nothing committed is ever missing, nothing rolled back appears.",
        "",
        "Each type has one shape of `data`, wherever it is raised (a write, or the daily sweep); "
        "docs/EVENTS.md says what each member means. Members marked ? may be null; every member is present.",
        "",
    ]
    for event in CATALOGUE:
        members = ", ".join(f"`{f.name}`{'?' if f.nullable else ''} ({f.kind})" for f in event.data)
        lines.append(f"- `{event.name}` — {event.about}; subject `{event.subject}`; data: {members}")
    return "\n".join(lines)


@router.get("", response_model=EventPage, description=_catalogue())
async def read_events(
    request: Request,
    uow: unit_for(Action.READ),
    after: Annotated[str | None, Query(description="cursor from the previous answer; omit to start")] = None,
    types: Annotated[str | None, Query(description="comma-separated event types")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
):
    """Read events after a cursor; nothing committed is ever missing, nothing rolled back appears."""
    secret = request.app.state.cursor_secret
    position = feed_position(after, secret) if after else None
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else None
    rows = await read_feed(after=position, types=wanted, limit=limit, uow=uow)
    items = [
        {
            "id": r.event_id,
            "type": r.type,
            "occurred_at": r.occurred_at,
            "subject": {"type": r.subject_type, "id": r.subject_id},
            "data": r.data,
        }
        for r in rows
    ]
    if rows:
        next_cursor = encode_cursor([rows[-1].txid, rows[-1].id], {}, secret)
    else:
        next_cursor = after or encode_cursor(list(FEED_START), {}, secret)
    return {"items": items, "next_cursor": next_cursor}
