"""Finding 4: sign-ins, failures, lockouts, sign-outs and client tokens are audited, each with the caller's
address (covered by the chain's hash), outcome and reason; the auditor filters them by action."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text

from domain.identity.handlers import accounts
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import make_settings
from tests.support.accounts import PASSWORD, make_user
from tests.support.audit_guard import past_the_audit_guard

SOURCE = "203.0.113.7"  # the address uvicorn hands over (from the proxy headers it trusts)


@pytest.fixture
def settings(database_url):
    return make_settings(database_url, login_lock_failures=3)


@pytest.fixture
async def remote(app):
    """A client calling from SOURCE."""
    transport = httpx.ASGITransport(app=app, client=(SOURCE, 52000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _login(http, username: str, password: str = PASSWORD) -> httpx.Response:
    form = {"grant_type": "password", "username": username, "password": password}
    return await http.post("/api/v1/auth/token", data=form)


async def _log(http, auditor, **params) -> list[dict]:
    response = await http.get("/api/v1/audit-log", params={"limit": 200, **params}, headers=auditor)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_sign_in_failure_lockout_and_sign_out_are_audited_with_address_outcome_and_reason(
    app, remote, auditor
):
    user = await make_user(app, "zhao", ["viewer"])
    ok = await _login(remote, "zhao")
    assert ok.status_code == 200
    assert (await _login(remote, "ghost", "Wrong-pass1")).status_code == 400
    for _ in range(3):  # the third failure locks the username (login_lock_failures=3)
        assert (await _login(remote, "zhao", "Wrong-pass1")).status_code == 400
    assert (await _login(remote, "zhao")).status_code == 429
    revoked = await remote.post("/api/v1/auth/revoke", data={"token": ok.json()["refresh_token"]})
    assert revoked.status_code == 200

    entries = [e for e in await _log(remote, auditor) if e["actor"] in ("zhao", "ghost")]
    seen = [(e["action"], e["actor"], e["after"]["outcome"], e["after"].get("reason")) for e in entries]
    assert seen == [
        ("auth.login", "zhao", "success", None),
        ("auth.login_failed", "ghost", "failure", "unknown_user"),
        ("auth.login_failed", "zhao", "failure", "wrong_password"),
        ("auth.login_failed", "zhao", "failure", "wrong_password"),
        ("auth.login_failed", "zhao", "failure", "wrong_password"),
        ("auth.lockout", "zhao", "locked", "too_many_failures"),
        ("auth.login_refused", "zhao", "refused", "locked"),
        ("auth.logout", "zhao", "success", None),
    ]
    assert {e["source"] for e in entries} == {SOURCE}
    assert entries[0]["resource_id"] == user.id and entries[1]["resource_id"] is None
    assert PASSWORD not in str(entries) and "Wrong-pass1" not in str(entries)


async def test_client_tokens_issued_and_refused_are_audited(app, remote, auditor):
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        issued = await accounts.create_client(
            {"name": "园区大脑", "scopes": ["read"]}, uow=uow, hasher=app.state.hasher, now=datetime.now(UTC)
        )
    client_id = issued.client.client_id
    form = {"grant_type": "client_credentials", "client_id": client_id}
    assert (
        await remote.post("/api/v1/auth/token", data=form | {"client_secret": issued.client_secret})
    ).is_success
    assert (
        await remote.post("/api/v1/auth/token", data=form | {"client_secret": "gxs_wrong"})
    ).status_code == 401

    granted = await _log(remote, auditor, action="auth.client_token")
    refused = await _log(remote, auditor, action="auth.client_token_failed")
    assert [(e["actor"], e["after"]["outcome"], e["source"]) for e in granted] == [
        (client_id, "success", SOURCE)
    ]
    assert [(e["actor"], e["after"]["reason"]) for e in refused] == [(client_id, "wrong_secret")]
    assert issued.client_secret not in str(granted + refused)


async def test_the_auditor_filters_by_action_and_every_write_carries_its_source(app, remote, auditor, admin):
    await make_user(app, "qian", ["viewer"])
    await _login(remote, "qian")
    await _login(remote, "qian", "Wrong-pass1")
    created = await remote.post("/api/v1/departments", json={"name": "来源局"}, headers=admin)
    assert created.status_code == 201

    failed = await _log(remote, auditor, action="auth.login_failed")
    assert [e["actor"] for e in failed] == ["qian"]
    department = await _log(remote, auditor, action="department.create")
    assert [e["source"] for e in department] == [SOURCE]
    assert await _log(remote, auditor, action="no.such.action") == []


async def test_the_source_is_covered_by_the_hash(app, remote, auditor):
    await make_user(app, "sun", ["viewer"])
    await _login(remote, "sun")
    assert (await remote.get("/api/v1/audit-log/verify", headers=auditor)).json()["valid"] is True
    async with past_the_audit_guard(app.state.engine) as connection:
        await connection.execute(
            text("UPDATE audit_log SET source = '198.51.100.1' WHERE action = 'auth.login'")
        )
    assert (await remote.get("/api/v1/audit-log/verify", headers=auditor)).json()["valid"] is False


async def test_the_access_log_line_carries_the_source(app, remote, caplog):
    with caplog.at_level(logging.INFO, logger="gaoxin.access"):
        await remote.get("/healthz")
    assert [getattr(r, "source", None) for r in caplog.records if r.name == "gaoxin.access"] == [SOURCE]
