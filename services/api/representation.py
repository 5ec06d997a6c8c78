"""From domain objects to response bodies, with the ETag of each."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel

from services.api.etag import etag_of


def represent(schema: type[BaseModel], obj: Any) -> dict[str, Any]:
    """The JSON body a caller sees for one object."""
    return schema.model_validate(obj).model_dump(mode="json")


def single(response: Response, schema: type[BaseModel], obj: Any) -> dict[str, Any]:
    """A single-resource answer: its body, with its strong ETag in the header."""
    body = represent(schema, obj)
    response.headers["ETag"] = etag_of(body)
    return body


def listed(schema: type[BaseModel], objects: list[Any]) -> list[dict[str, Any]]:
    """List items carry their own `etag`."""
    items = []
    for obj in objects:
        body = represent(schema, obj)
        items.append({**body, "etag": etag_of(body)})
    return items
