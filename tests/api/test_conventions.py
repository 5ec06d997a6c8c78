"""The conventions every endpoint shares (API.md), checked through real HTTP requests."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from services.api.app import create_app
from tests.api import probe
from tests.conftest import make_settings
from tests.support.accounts import user_headers
from tests.support.lifespan import running

PROBLEM = "application/problem+json"


@pytest.fixture
async def probe_client(database_url):
    app = create_app(make_settings(database_url, max_body_bytes=2048))
    app.include_router(probe.router)
    probe.STORE.clear()
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["instance"]
    return body


async def test_operations_endpoints_answer_without_a_token(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "gaoxin_http_requests_total" in metrics.text


async def test_unknown_path_is_a_chinese_problem_by_default_and_english_on_request(client):
    zh = assert_problem(await client.get("/api/v1/nowhere"), 404, "not-found")
    assert zh["title"] == "资源不存在"
    en = assert_problem(
        await client.get("/api/v1/nowhere", headers={"Accept-Language": "en"}), 404, "not-found"
    )
    assert en["title"] == "Not found"
    assert "/api/v1/nowhere" in en["detail"]


async def test_wrong_method_is_405_problem_with_allow(probe_client):
    body = assert_problem(await probe_client.delete("/api/v1/probe/items"), 405, "method-not-allowed")
    assert "DELETE" in body["detail"]


async def test_request_id_is_generated_or_echoed(client):
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) >= 16
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    hostile = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert hostile.headers["x-request-id"] != "bad id\twith spaces"


async def test_unparseable_json_is_400(probe_client):
    response = await probe_client.post(
        "/api/v1/probe/items", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "bad-request")


async def test_wrong_types_and_unknown_fields_are_422_with_errors(probe_client):
    body = assert_problem(
        await probe_client.post("/api/v1/probe/items", json={"name": "a", "count": "many", "colour": "red"}),
        422,
        "validation-error",
    )
    locations = [tuple(e["loc"]) for e in body["errors"]]
    assert ("body", "count") in locations
    assert ("body", "colour") in locations
    assert all(e["msg"] for e in body["errors"])


async def test_domain_errors_map_to_their_status_and_rule(probe_client):
    conflict = assert_problem(
        await probe_client.post("/api/v1/probe/items", json={"name": "conflict", "count": 1}), 409, "conflict"
    )
    assert conflict["rule"] == "illegal-transition"
    assert conflict["detail"] == "不能这样流转"
    invalid = assert_problem(
        await probe_client.post("/api/v1/probe/items", json={"name": "negative", "count": 1}),
        422,
        "validation-error",
    )
    assert invalid["errors"][0]["loc"] == ["body", "count"]


async def test_a_crash_is_a_500_problem_without_the_trace(probe_client, caplog):
    caplog.set_level(logging.ERROR)
    response = await probe_client.post("/api/v1/probe/items", json={"name": "crash", "count": 1})
    body = assert_problem(response, 500, "internal-error")
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]


async def test_declared_oversize_body_is_413(probe_client):
    response = await probe_client.post(
        "/api/v1/probe/items", content=b"x" * 4096, headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413, "payload-too-large")


async def test_chunked_oversize_body_is_413(probe_client):
    async def chunks():
        for _ in range(10):
            yield b"x" * 512

    response = await probe_client.post(
        "/api/v1/probe/items", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "payload-too-large")


async def test_chunked_body_under_the_limit_passes(probe_client):
    payload = json.dumps({"name": "ok", "count": 2}).encode()

    async def chunks():
        yield payload[:5]
        yield payload[5:]

    response = await probe_client.post(
        "/api/v1/probe/items", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201
    assert response.json() == {"id": "ok", "name": "ok", "count": 2}


async def test_pages_walk_every_item_once_with_signed_cursors(probe_client):
    seen, cursor = [], None
    while True:
        params = {"limit": 50, "prefix": "item-"} | ({"cursor": cursor} if cursor else {})
        page = (await probe_client.get("/api/v1/probe/items", params=params)).json()
        assert all(item["etag"].startswith('"') for item in page["items"])
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == probe.NAMES


@pytest.mark.parametrize("limit", [0, 201, -1])
async def test_limit_outside_1_to_200_is_422(probe_client, limit):
    assert_problem(
        await probe_client.get("/api/v1/probe/items", params={"limit": limit}), 422, "validation-error"
    )


async def test_malformed_forged_or_foreign_cursors_are_400(probe_client):
    first = (await probe_client.get("/api/v1/probe/items", params={"limit": 10, "prefix": "item-"})).json()
    cursor = first["next_cursor"]
    payload, signature = cursor.split(".")
    for bad in ("garbage", cursor + "x", payload[:-2] + "AA." + signature):
        response = await probe_client.get("/api/v1/probe/items", params={"cursor": bad, "prefix": "item-"})
        assert_problem(response, 400, "bad-request")
    foreign = await probe_client.get("/api/v1/probe/items", params={"cursor": cursor, "prefix": "item-1"})
    assert_problem(foreign, 400, "bad-request")


async def test_if_match_missing_is_428_stale_is_412_and_nothing_changes(probe_client):
    url = "/api/v1/probe/items/a"
    assert_problem(await probe_client.patch(url, json={"name": "x"}), 428, "precondition-required")
    first = await probe_client.patch(url, json={"name": "second"}, headers={"If-Match": "*"})
    etag = first.headers["etag"]
    assert (await probe_client.get(url)).headers["etag"] == etag
    changed = await probe_client.patch(url, json={"name": "third"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    stale = await probe_client.patch(url, json={"name": "fourth"}, headers={"If-Match": etag})
    assert_problem(stale, 412, "precondition-failed")
    assert (await probe_client.get(url)).json()["name"] == "third"


async def test_openapi_documents_title_and_problem_statuses(probe_client):
    schema = (await probe_client.get("/openapi.json")).json()
    assert schema["info"]["title"].startswith("gaoxin")
    assert "Problem" in schema["components"]["schemas"]
    responses = schema["paths"]["/api/v1/probe/items"]["post"]["responses"]
    for status in ("400", "401", "403", "409", "413", "422", "429", "500", "503"):
        assert status in responses


async def test_a_nul_in_the_url_is_a_422_naming_the_parameter(client):
    body = assert_problem(await client.get("/api/v1/enterprises?q=%E4%B8%AD%00"), 422, "validation-error")
    assert body["errors"] == [{"loc": ["query", "q"], "msg": "must not contain a NUL character (U+0000)"}]
    assert_problem(await client.get("/api/v1/enterprises/a%00b"), 422, "validation-error")


async def test_a_nul_in_a_body_field_is_a_422(probe_client):
    body = assert_problem(
        await probe_client.post("/api/v1/probe/items", json={"name": "a\u0000b", "count": 1}),
        422,
        "validation-error",
    )
    assert body["errors"][0]["loc"] == ["body", "name"] and "U+0000" in body["detail"]


async def test_a_text_is_as_long_as_sent_surrounding_blanks_too(app, client):
    """Blanks around a text are stripped, but the schema's maxLength counts them: schemathesis sent 200
    characters of name after a carriage return, and the write must not accept what the schema refuses."""
    admin = await user_headers(app, client, "length-admin", ["admin"])
    refused = await client.post("/api/v1/departments", json={"name": "\r" + "部" * 200}, headers=admin)
    body = assert_problem(refused, 422, "validation-error")
    assert body["errors"][0]["loc"] == ["body", "name"]
    accepted = await client.post("/api/v1/departments", json={"name": " 科技局 "}, headers=admin)
    assert accepted.status_code == 201 and accepted.json()["name"] == "科技局"
    full = await client.post("/api/v1/departments", json={"name": "部" * 200}, headers=admin)
    assert full.status_code == 201


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/stats/tiers", "date"),
        ("/api/v1/audit-log", "since"),
        ("/api/v1/audit-log", "until"),
        ("/api/v1/plans/x/tree", "date"),
    ],
)
@pytest.mark.parametrize("value", ["0", "1700000000", "2025-13-01"])
async def test_a_date_parameter_takes_only_its_iso_form(app, client, path, name, value):
    # pydantic's lax mode would read a bare number as a Unix time: 0 would be 1970-01-01.
    admin = await user_headers(app, client, "iso-admin", ["admin"])
    response = await client.get(path, params={name: value}, headers=admin)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["loc"] == ["query", name]
