"""Strong ETags over a resource's representation, and the If-Match rules of API.md."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request, Response

from services.api.problems import Problem


def etag_of(representation: dict[str, Any]) -> str:
    """A strong ETag: the digest of the canonical JSON the caller is shown."""
    canonical = json.dumps(representation, sort_keys=True, default=str, ensure_ascii=False)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def require_if_match(request: Request, current: str, *, required: bool = True) -> None:
    """428 without If-Match (when required), 412 when it names another version."""
    header = request.headers.get("if-match")
    if header is None:
        if required:
            raise Problem(
                "precondition-required",
                "This change needs an If-Match header with the resource's current ETag.",
                "此修改需要在 If-Match 请求头中提供资源当前的ETag。",
            )
        return
    tags = _tags(header)
    if "*" in tags or current in tags:
        return
    raise Problem(
        "precondition-failed",
        "The resource has changed since that ETag; fetch it again.",
        "资源已在该ETag之后被修改,请重新获取。",
        current_etag=current,
    )


def with_etag(response: Response, representation: dict[str, Any]) -> dict[str, Any]:
    """Set the ETag header for a single-resource answer and return the body unchanged."""
    response.headers["ETag"] = etag_of(representation)
    return representation
