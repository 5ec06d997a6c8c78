"""The OpenAPI schema: every route lists the problems it can answer with, and the headers a client must send
and may read, each declared from the code that reads or writes it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from services.api.etag import ETAG_HEADER, IF_MATCH, if_match_required
from services.api.idempotency import EXEMPT_PREFIXES, MAX_KEY_LENGTH
from services.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES
from services.api.security import SECURITY, SECURITY_SCHEMES, Public, declared_permission

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
            "description": "For a refused POST /api/v1/auth/token: the OAuth2 error (RFC 6749 §5.2), e.g. "
            "invalid_request, invalid_client, invalid_grant, unsupported_grant_type; for 429 on "
            "/auth/token and /me/password: temporarily_locked (the username, or the caller's address past "
            "GAOXIN_LOGIN_SOURCE_FAILURES), with Retry-After",
            "example": "invalid_grant",
        },
        "errors": {
            "type": "array",
            "description": "For 422: one entry a field",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array", "items": {}, "example": ["body", "title"]},
                    "msg": {"type": "string"},
                    "msg_zh": {"type": "string", "description": "In Chinese, where a rule has one"},
                },
            },
        },
        "current_etag": {"type": "string", "description": "For 412: the resource's ETag now"},
    },
    "additionalProperties": True,
}

# Problems any route under /api/v1 may answer; a route adds its own (404, 409, 412, 428 …) explicitly.
COMMON_API_PROBLEMS = (400, 401, 403, 413, 422, 429, 500, 503)
WRITE_PROBLEMS = (404, 409, 412, 428)

RETRY_AFTER = {"type": "integer", "minimum": 0, "description": "seconds"}
# Headers every problem of a status carries (services/api/security.py, services/api/errors.py).
PROBLEM_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": 'Bearer (error="invalid_token" for a bad token); Basic for a bad client',
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {"Retry-After": {"description": "When to try again", "required": True, "schema": RETRY_AFTER}},
    503: {"Retry-After": {"description": "When to try again", "required": True, "schema": RETRY_AFTER}},
}
IN_FLIGHT = {
    "Retry-After": {
        "description": "With rule idempotency-in-flight: the first request with this key is still running",
        "required": False,
        "schema": RETRY_AFTER,
    }
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string of yours, e.g. a UUID: the same key and body again answer the first "
    "response (Idempotent-Replayed: true) and do nothing twice; another body is 422; kept at least 24 h, "
    "scoped to the caller.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def idempotent(method: str, path: str) -> bool:
    """The middleware's rule (services/api/idempotency.py): every POST under /api/v1 but the token ones."""
    return method == "post" and path.startswith("/api/v1/") and not path.startswith(EXEMPT_PREFIXES)


def _problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    title = next(t for s, t, _ in PROBLEM_TYPES.values() if s == status)
    response = {
        "description": description or title,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in PROBLEM_HEADERS:
        response["headers"] = dict(PROBLEM_HEADERS[status])
    return response


def _calls(dependant: Dependant) -> set[Any]:
    found, stack = set(), [dependant]
    while stack:
        current = stack.pop()
        found.add(current.call)
        stack.extend(current.dependencies)
    return found


def _routes(app: FastAPI):
    """(path, method, route) for every operation of the schema, the route as FastAPI serves it."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            for method in context.methods:
                yield context.path_format, method.lower(), context


def _declare_security(app: FastAPI, schema: dict[str, Any]) -> None:
    """The bearer token every route with a permission takes, by either scheme (services/api/security.py)."""
    schemes = {
        name: jsonable_encoder(model, by_alias=True, exclude_none=True)
        for name, model in SECURITY_SCHEMES.items()
    }
    schema.setdefault("components", {})["securitySchemes"] = schemes
    for path, method, route in _routes(app):
        permission = declared_permission(route)
        operation = schema.get("paths", {}).get(path, {}).get(method)
        if operation is not None and permission is not None and not isinstance(permission, Public):
            operation["security"] = [dict(requirement) for requirement in SECURITY]


def _declare_headers(app: FastAPI, paths: dict[str, Any]) -> None:
    for path, method, route in _routes(app):
        operation = paths.get(path, {}).get(method)
        if operation is None:
            continue
        # If-Match is read as optional by its dependency (a missing one is a 428 after the 404, not a 422);
        # the routes that depend on the required variant declare it required.
        if if_match_required in _calls(route.dependant):
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"] == IF_MATCH:
                    parameter["required"] = True
        if idempotent(method, path):
            operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
            operation["responses"]["409"].setdefault("headers", {}).update(IN_FLIGHT)
        # A route showing one resource takes FastAPI's Response to set its ETag there (representation.single,
        # etag.with_etag); public routes show no resource (the token endpoint sets Cache-Control there).
        if route.dependant.response_param_name and operation.get("security"):
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    response.setdefault("headers", {})["ETag"] = dict(ETAG_HEADER)


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
                # A route's own entry (readyz's 503) is a problem too, and keeps its description.
                statuses += [s for s, _, _ in PROBLEM_TYPES.values() if str(s) in responses]
                # FastAPI's own 422 entry points to its HTTPValidationError; ours is a problem.
                for status in sorted(set(statuses)):
                    declared = responses.get(str(status), {}).get("description")
                    responses[str(status)] = _problem_response(status, declared)
        _declare_security(app, schema)
        _declare_headers(app, schema.get("paths", {}))
        app.openapi_schema = schema
        return schema

    app.openapi = custom_openapi
