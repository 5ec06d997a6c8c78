"""Strong ETags over a resource's representation, and the If-Match rules of API.md."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import Depends, Header, Response

from services.api.problems import Problem

IF_MATCH = "If-Match"
# The response header of an answer showing one resource (declared by services/api/openapi.py).
ETAG_HEADER = {
    "description": "The strong ETag of the resource shown: send it back as If-Match to change or delete it.",
    "required": True,
    "schema": {"type": "string", "example": '"3f2a9c0e5b7d41a6b8c2d4e6f8a0b1c3"'},
}


SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def etag_of(representation: dict[str, Any]) -> str:
    """A strong ETag: the digest of the canonical JSON (keys sorted) the caller is shown."""
    try:
        canonical = orjson.dumps(representation, default=str, option=SORTED)
    except (orjson.JSONEncodeError, TypeError):  # what orjson cannot write (an integer past 64 bits)
        canonical = json.dumps(representation, sort_keys=True, default=str, ensure_ascii=False).encode()
    return '"' + hashlib.sha256(canonical).hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


class Precondition:
    """The If-Match a write was sent with, checked against the resource's current ETag once it is loaded."""

    def __init__(self, sent: str | None, *, required: bool) -> None:
        self.sent = sent
        self.required = required

    def against(self, represent: Callable[[Any], dict[str, Any]]) -> Callable[[Any], None]:
        """The check as a handler calls it (`domain.shared.uow.Expectation`): with the resource it loaded,
        shown as `represent` shows it to the caller, or with None when there is none."""

        def expect(current: Any) -> None:
            self.check(None if current is None else etag_of(represent(current)))

        return expect

    def check(self, current: str | None) -> None:
        """428 without If-Match (when required); 412 when it names another version, or when there is no
        current version at all (RFC 9110 §13.1.1: even `*` then fails)."""
        if self.sent is None:
            if self.required:
                raise Problem(
                    "precondition-required",
                    "This change needs an If-Match header with the resource's current ETag.",
                    "此修改需要在 If-Match 请求头中提供资源当前的ETag。",
                )
            return
        tags = _tags(self.sent)
        if current is not None and ("*" in tags or current in tags):
            return
        raise Problem(
            "precondition-failed",
            "The resource has changed since that ETag; fetch it again.",
            "资源已在该ETag之后被修改,请重新获取。",
            **({"current_etag": current} if current is not None else {}),
        )


# Read as an optional header either way: a missing one is the handler's 428 (after its 404), never a 422.
# Typed `str` so that the schema says a string, not string-or-null; a request without it gives None.
SentIfMatch = Annotated[
    str,
    Header(
        alias=IF_MATCH,
        description='The ETag read from the resource (its GET or the last write); "*" matches any version.',
    ),
]


async def if_match_required(if_match: SentIfMatch = None) -> Precondition:
    """PATCH and DELETE of a resource: the schema declares If-Match required (services/api/openapi.py)."""
    return Precondition(if_match, required=True)


async def if_match_honoured(if_match: SentIfMatch = None) -> Precondition:
    """PUT: If-Match is checked when given."""
    return Precondition(if_match, required=False)


IfMatch = Annotated[Precondition, Depends(if_match_required)]
IfMatchHonoured = Annotated[Precondition, Depends(if_match_honoured)]


def with_etag(response: Response, representation: dict[str, Any]) -> dict[str, Any]:
    """Set the ETag header for a single-resource answer and return the body unchanged."""
    response.headers["ETag"] = etag_of(representation)
    return representation
