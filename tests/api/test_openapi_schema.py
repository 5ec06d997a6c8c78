"""The schema says what a client must send: each header is declared exactly where the service reads it.

Written from API.md: PATCH and DELETE of a resource require If-Match (missing 428, stale 412); removing a
relationship (a pool membership, a node link) needs none; PUT honours it when given; every POST under /api/v1
takes an Idempotency-Key of at most 255 characters, the token endpoints excepted (OAuth2's own rules).
"""

from __future__ import annotations

import re

import pytest

from services.api.app import create_app
from tests.conftest import make_settings
from tests.reliability.fuzz_world import fuzz_world
from tests.reliability.scenarios.harness import serve
from tests.support.accounts import PASSWORD, make_user, user_headers

OPENAPI = create_app(make_settings("sqlite+aiosqlite:///never-opened.db")).openapi()
RELATIONSHIPS = {
    ("delete", "/api/v1/pools/{pool}/members/{enterprise_id}"),
    ("delete", "/api/v1/chains/{chain_id}/nodes/{node_id}/enterprises/{enterprise_id}"),
}
KEY_REFUSED = "Idempotency-Key must be 1–255 characters."
STALE = '"0000000000000000000000000000000a"'


def _operations(method: str | None = None):
    for path, operations in OPENAPI["paths"].items():
        for verb, operation in operations.items():
            if method in (None, verb):
                yield verb, path, operation


def _header(operation: dict, name: str) -> dict | None:
    found = [p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == name]
    return found[0] if found else None


def _idempotent(method: str, path: str) -> bool:
    return method == "post" and path.startswith("/api/v1/") and not path.startswith("/api/v1/auth/")


def test_if_match_is_required_on_patch_and_delete_of_a_resource_optional_on_put_and_nowhere_else():
    declared = {(m, p): h["required"] for m, p, op in _operations() if (h := _header(op, "If-Match"))}
    expected = {(m, p): True for m, p, _ in _operations() if m in ("patch", "delete")}
    expected = {k: v for k, v in expected.items() if k not in RELATIONSHIPS}
    expected |= {(m, p): False for m, p, _ in _operations("put")}
    assert declared == expected


def test_idempotency_key_is_declared_on_every_post_under_the_api_but_the_token_endpoints():
    declared = {(m, p): h for m, p, op in _operations() if (h := _header(op, "Idempotency-Key"))}
    assert set(declared) == {(m, p) for m, p, _ in _operations() if _idempotent(m, p)}
    assert ("post", "/api/v1/tasks") in declared and ("post", "/api/v1/auth/token") not in declared
    for header in declared.values():
        assert not header["required"]
        assert (header["schema"]["minLength"], header["schema"]["maxLength"]) == (1, 255)


def test_response_headers_a_client_reads_are_declared():
    for method, path, operation in _operations():
        responses = operation["responses"]
        if "401" in responses:
            assert responses["401"]["headers"]["WWW-Authenticate"]["required"], (method, path)
        for status in ("429", "503"):
            if status in responses:
                assert responses[status]["headers"]["Retry-After"]["required"], (method, path, status)
        if _idempotent(method, path):
            assert "Retry-After" in responses["409"]["headers"], path  # idempotency-in-flight
    assert OPENAPI["paths"]["/api/v1/tasks/{task_id}"]["patch"]["responses"]["200"]["headers"]["ETag"]


def test_the_problem_schema_has_the_oauth2_error_and_the_field_errors():
    problem = OPENAPI["components"]["schemas"]["Problem"]["properties"]
    assert problem["error"]["type"] == "string" and "invalid_grant" in problem["error"]["description"]
    assert problem["errors"]["items"]["required"] == ["loc", "msg"]


def test_oauth2_password_and_client_credentials_flows_sign_in_at_the_token_endpoint():
    schemes = OPENAPI["components"]["securitySchemes"]
    flows = schemes["OAuth2"]["flows"]
    assert flows["password"]["tokenUrl"] == flows["clientCredentials"]["tokenUrl"] == "/api/v1/auth/token"
    assert schemes["HTTPBearer"] == {**schemes["HTTPBearer"], "type": "http", "scheme": "bearer"}
    public = {"/healthz", "/readyz", "/metrics", "/api/v1/auth/token", "/api/v1/auth/revoke"}
    for method, path, operation in _operations():
        expected = [] if path in public else [{"HTTPBearer": []}, {"OAuth2": []}]
        assert operation.get("security", []) == expected, (method, path)


async def test_the_docs_page_signs_in_with_a_username_and_a_password(app, client):
    """The request Swagger UI's "Authorize" sends for the password flow: form fields, an empty client."""
    await make_user(app, "docs-reader", ["viewer"])
    form = {"grant_type": "password", "username": "docs-reader", "password": PASSWORD, "scope": ""}
    answer = await client.post("/api/v1/auth/token", data=form, headers={"Authorization": "Basic Og=="})
    assert answer.status_code == 200, answer.text
    # A token is no resource: no ETag sent, none declared.
    assert "etag" not in answer.headers
    assert "headers" not in OPENAPI["paths"]["/api/v1/auth/token"]["post"]["responses"]["200"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"})
    assert me.json()["username"] == "docs-reader"


@pytest.mark.parametrize(("length", "refused"), [(0, True), (1, False), (255, False), (256, True)])
async def test_an_idempotency_key_of_1_to_255_characters_is_accepted(app, client, length, refused):
    planner = await user_headers(app, client, "key-planner", ["planner"])
    headers = planner | {"Idempotency-Key": "k" * length, "Accept-Language": "en"}
    body = {"title": "十四五规划", "start_year": 2021, "end_year": 2025}
    answer = await client.post("/api/v1/plans", json=body, headers=headers)
    assert (answer.status_code == 400 and answer.json()["detail"] == KEY_REFUSED) == refused, answer.text
    assert answer.status_code == (400 if refused else 201)


# The behaviour behind the declarations: the same walk over the schema, each request sent with real rows.


def _url(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "none"), path)


async def _relate(client, admin: dict, ids: dict[str, str]) -> None:
    """A pool membership and a node link: the relationships a DELETE removes without If-Match."""
    enterprise = {"enterprise_id": ids["enterprise_id"]}
    member = await client.post(f"/api/v1/pools/{ids['pool']}/members", json=enterprise, headers=admin)
    assert member.status_code == 201, member.text
    node = f"/api/v1/chains/{ids['chain_id']}/nodes/{ids['node_id']}/enterprises"
    link = await client.post(node, json=enterprise | {"role": "leader"}, headers=admin)
    assert link.status_code == 201, link.text


async def test_if_match_is_enforced_exactly_where_it_is_declared_required(database_url):
    """Without If-Match a resource's PATCH or DELETE is 428 and a stale one 412; a relationship goes."""
    async with fuzz_world(database_url) as world, serve(database_url) as (_, client):
        admin, ids = world.headers["admin"], world.ids
        await _relate(client, admin, ids)
        answers = {}
        for method, path, operation in [*_operations("patch"), *_operations("delete")]:
            body, url = ({} if method == "patch" else None), _url(path, ids)
            answers[method, path] = (await client.request(method, url, json=body, headers=admin)).status_code
            if _header(operation, "If-Match") is not None:
                stale = await client.request(method, url, json=body, headers=admin | {"If-Match": STALE})
                answers[method, path] = (answers[method, path], stale.status_code)
    required = {(m, p) for m, p, op in _operations() if (h := _header(op, "If-Match")) and h["required"]}
    assert {k for k, v in answers.items() if v == (428, 412)} == required
    assert {k: v for k, v in answers.items() if k not in required} == {k: 204 for k in RELATIONSHIPS}


async def test_a_patch_with_the_etag_read_answers_the_new_etag_where_the_schema_says(database_url):
    """The ETag of each resource's GET, sent back as If-Match, is accepted; the answer carries the new one."""
    async with fuzz_world(database_url) as world, serve(database_url) as (_, client):
        admin = world.headers["admin"]
        for _, path, operation in _operations("patch"):
            url = _url(path, world.ids)
            read = await client.get(url, headers=admin)
            changed = await client.patch(url, json={}, headers=admin | {"If-Match": read.headers["etag"]})
            assert changed.status_code == 200, (path, changed.text)
            assert changed.headers["etag"] and "ETag" in operation["responses"]["200"]["headers"], path


async def test_the_idempotency_key_is_read_exactly_where_it_is_declared(database_url):
    """A key over 255 characters is refused by the middleware on every POST it handles, and only there."""
    async with fuzz_world(database_url) as world, serve(database_url) as (_, client):
        headers = world.headers["admin"] | {"Accept-Language": "en", "Idempotency-Key": "k" * 256}
        refused = set()
        for method, path, _ in _operations("post"):
            answer = await client.post(_url(path, world.ids), json={}, headers=headers)
            if answer.status_code == 400 and answer.json().get("detail") == KEY_REFUSED:
                refused.add((method, path))
    assert refused == {(m, p) for m, p, op in _operations("post") if _header(op, "Idempotency-Key")}
    assert ("post", "/api/v1/tasks") in refused and ("post", "/api/v1/auth/token") not in refused


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/enterprises/{enterprise_id}/metrics/2022", {"employees": 12}),
        ("/api/v1/indicators/{indicator_id}/observations/2022", {"value": "1.5"}),
    ],
)
async def test_a_put_that_creates_answers_201_as_the_schema_declares(database_url, path, body):
    """A year's first PUT creates it (201), the next replaces it (200): both declared, both with an ETag."""
    async with fuzz_world(database_url) as world, serve(database_url) as (_, client):
        url, admin = _url(path, world.ids), world.headers["admin"]
        created = await client.put(url, json=body, headers=admin)
        replaced = await client.put(url, json=body, headers=admin | {"If-Match": created.headers["etag"]})
    template = path.replace("2022", "{year}")
    responses = OPENAPI["paths"][template]["put"]["responses"]
    assert (created.status_code, replaced.status_code) == (201, 200)
    assert "ETag" in responses["201"]["headers"] and "ETag" in responses["200"]["headers"]
