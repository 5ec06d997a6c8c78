"""From domain objects to response bodies, with the ETag of each."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel

from services.api.etag import etag_of


def represent(schema: type[BaseModel], obj: Any) -> dict[str, Any]:
    """The JSON body a caller sees for one object."""
    return schema.model_validate(obj).model_dump(mode="json")


def single(response: Response, schema: type[BaseModel], obj: Any) -> BaseModel:
    """A single-resource answer, with its strong ETag in the header: the validated model itself, which
    FastAPI takes as the route's response model without validating it again (a body as a dict would be)."""
    shown = schema.model_validate(obj)
    response.headers["ETag"] = etag_of(shown.model_dump(mode="json"))
    return shown


def listed(schema: type[BaseModel], objects: list[Any]) -> list[dict[str, Any]]:
    """List items carry their own `etag`."""
    items = []
    for obj in objects:
        body = represent(schema, obj)
        items.append({**body, "etag": etag_of(body)})
    return items
