"""Keyset pages with opaque cursors, signed and bound to the endpoint and filters they were issued for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from services.api.problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _filters_digest(filters: dict[str, Any]) -> str:
    canonical = json.dumps(filters, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_cursor(key: list[Any], filters: dict[str, Any], secret: bytes) -> str:
    payload = _b64(json.dumps({"k": key, "f": _filters_digest(filters)}, default=str).encode())
    signature = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:16])
    return f"{payload}.{signature}"


def bad_cursor() -> Problem:
    return Problem(
        "bad-request",
        "The cursor is malformed or was issued for other filters; start again without it.",
        "分页游标无效或不属于当前筛选条件,请去掉游标重新查询。",
    )


def decode_cursor(cursor: str, filters: dict[str, Any], secret: bytes) -> list[Any]:
    """Return the key the cursor carries; 400 when it is malformed, forged or for other filters."""
    try:
        payload, signature = cursor.split(".", 1)
        expected = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:16])
        if not hmac.compare_digest(signature, expected):
            raise ValueError("signature")
        data = json.loads(_unb64(payload))
        if data["f"] != _filters_digest(filters) or not isinstance(data["k"], list):
            raise ValueError("filters")
        return data["k"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise bad_cursor() from exc


@dataclass(frozen=True)
class PageRequest:
    """`limit` and `cursor` of a list request, decoded against that request's endpoint and filters: a
    cursor of /clients is refused by /users (400), as one issued for other filters is."""

    limit: int
    cursor: str | None
    secret: bytes
    endpoint: str = ""

    def _bound(self, filters: dict[str, Any]) -> dict[str, Any]:
        return {**filters, "@endpoint": self.endpoint}

    def after(self, filters: dict[str, Any]) -> list[Any] | None:
        return decode_cursor(self.cursor, self._bound(filters), self.secret) if self.cursor else None

    def after_key(self, filters: dict[str, Any]) -> Any | None:
        """The single-column keyset position (an id), or None on the first page."""
        key = self.after(filters)
        return key[0] if key else None

    def page(self, rows: list[Any], items: list[Any], key, filters: dict[str, Any]) -> dict[str, Any]:
        """Build `{"items", "next_cursor"}` from limit+1 fetched rows; `key(row)` gives the keyset key."""
        more = len(rows) > self.limit
        last = key(rows[self.limit - 1]) if more else None
        next_cursor = encode_cursor(last, self._bound(filters), self.secret) if more else None
        return {"items": items[: self.limit], "next_cursor": next_cursor}


async def page_request(  # async: no thread-pool hop (services/api/deps.py)
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size, 1–200.")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="Opaque cursor from the previous page.")] = None,
) -> PageRequest:
    return PageRequest(limit, cursor, request.app.state.cursor_secret, request.url.path)


PageDep = Annotated[PageRequest, Depends(page_request)]
