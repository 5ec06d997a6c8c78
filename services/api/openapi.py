"""The OpenAPI schema: every route lists the problems it can answer with, in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from services.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; title and detail in Chinese, English with Accept-Language: en.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "example": "/problems/not-found"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "rule": {
            "type": "string",
            "description": "For 409: the rule refused, e.g. illegal-transition, duplicate, last-admin "
            "(the last active admin cannot be deactivated or demoted)",
        },
        "error": {
            "type": "string",
            "description": "For /auth errors: the OAuth2 error (invalid_grant, invalid_client …); for 429 on "
            "/auth/token and /me/password: temporarily_locked (the username, or the caller's address past "
            "GAOXIN_LOGIN_SOURCE_FAILURES), with Retry-After",
        },
        "errors": {
            "type": "array",
            "description": "For 422: one entry a field",
            "items": {
                "type": "object",
                "properties": {"loc": {"type": "array", "items": {}}, "msg": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}

# Problems any route under /api/v1 may answer; a route adds its own (404, 409, 412, 428 …) explicitly.
COMMON_API_PROBLEMS = (400, 401, 403, 413, 422, 429, 500, 503)
WRITE_PROBLEMS = (404, 409, 412, 428)


def _problem_response(status: int) -> dict[str, Any]:
    title = next(t for s, t, _ in PROBLEM_TYPES.values() if s == status)
    return {
        "description": title,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def install_openapi(app: FastAPI) -> None:
    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                statuses = list(COMMON_API_PROBLEMS) if path.startswith("/api/") else [500]
                if path.startswith("/api/"):
                    statuses += [404]
                if method in ("patch", "delete", "put"):
                    statuses += [409, 412, 428]
                elif method == "post":
                    statuses += [409]
                # FastAPI's own 422 entry points to its HTTPValidationError; ours is a problem.
                for status in sorted(set(statuses)):
                    responses[str(status)] = _problem_response(status)
        app.openapi_schema = schema
        return schema

    app.openapi = custom_openapi
