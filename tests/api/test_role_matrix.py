"""Deny by default, and the role matrix of DOMAIN.md over every route of the app."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from services.api.security import Requires
from tests.support.accounts import bearer, make_department, make_user

ROLES = ["admin", "planner", "department", "chain_chief", "general_chief", "officer", "auditor", "viewer"]
EVERYONE_BUT_AUDITOR = set(ROLES) - {"auditor"}

# Who may attempt each declared permission — written from DOMAIN.md "Who may do what", not from the code.
EXPECTED: dict[str, set[str]] = {
    "read": EVERYONE_BUT_AUDITOR,
    "read_sensitive": {"admin", "officer", "planner"},
    "own_account": set(ROLES),
    "department.write": {"admin", "planner"},
    "user.manage": {"admin"},
    "client.manage": {"admin"},
    "webhook.manage": {"admin"},
    "audit.read": {"admin", "auditor"},
    "plan.write": {"admin", "planner"},
    "task.supervise": {"admin", "planner"},
    "task.run": {"admin", "planner", "department"},
    "task.report": {"admin", "department"},
    "attachment.upload": {"admin", "planner", "department"},
    "cultivation.write": {"admin", "officer"},
    "chain.create": {"admin", "general_chief"},
    "chain.write": {"admin", "general_chief", "chain_chief"},
    "chief.assign": {"admin", "general_chief"},
    "general_chief.assign": {"admin"},
}


def _permission(route: APIRoute) -> list[Requires]:
    found, stack = [], [route.dependant]
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, Requires):
            found.append(dependant.call)
        stack.extend(dependant.dependencies)
    return found


def _api_routes(app) -> list[APIRoute]:
    """Every route as the app serves it (included routers flattened, their dependencies applied)."""
    routes = [context.route for context in iter_route_contexts(app.routes)]
    return [r for r in routes if isinstance(r, APIRoute)]


def test_every_route_declares_exactly_one_permission(app):
    undeclared = [f"{sorted(r.methods)} {r.path}" for r in _api_routes(app) if len(_permission(r)) != 1]
    assert undeclared == []


def test_every_declared_permission_has_an_expectation(app):
    actions = {p.action.value for r in _api_routes(app) for p in _permission(r) if p.action is not None}
    assert actions <= set(EXPECTED)


def test_only_operations_and_token_endpoints_are_public(app):
    public = {r.path for r in _api_routes(app) if _permission(r)[0].action is None}
    assert public == {"/healthz", "/readyz", "/metrics", "/api/v1/auth/token", "/api/v1/auth/revoke"}


@pytest.fixture
async def tokens(app, client) -> dict[str, dict[str, str]]:
    department = await make_department(app)
    headers = {}
    for role in ROLES:
        await make_user(
            app, f"u_{role}", [role], department_id=department.id if role == "department" else None
        )
        headers[role] = await bearer(client, f"u_{role}")
    return headers


async def test_role_matrix_over_every_route(app, client, tokens):
    mismatches = []
    for route in _api_routes(app):
        action = _permission(route)[0].action
        if action is None:
            continue
        path = re.sub(r"\{[^}]+\}", "0000notthere0000", route.path)
        for method in route.methods - {"HEAD"}:
            for role in ROLES:
                response = await client.request(method, path, headers=tokens[role], json={})
                allowed = role in EXPECTED[action.value]
                denied = response.status_code == 403
                if allowed == denied or response.status_code == 401 or response.status_code >= 500:
                    mismatches.append((method, route.path, role, response.status_code))
    assert mismatches == []


async def test_no_token_is_401_on_every_protected_route(app, client):
    for route in _api_routes(app):
        if _permission(route)[0].action is None:
            continue
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in route.methods - {"HEAD"}:
            response = await client.request(method, path, json={})
            assert response.status_code == 401, (method, route.path)
            assert response.headers["www-authenticate"].startswith("Bearer")
