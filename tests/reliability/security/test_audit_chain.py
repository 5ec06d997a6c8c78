"""Finding 5: whoever can write the database cannot rewrite the audit log unseen.

The chain is keyed (an HMAC under GAOXIN_AUDIT_KEY, not a plain SHA-256 anyone can recompute); the table
refuses UPDATE, DELETE and TRUNCATE for the application's own connection; and an anchor kept outside the
database finds a log cut back behind it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from infrastructure.db.tables.identity import audit_log
from services.api.app import create_app
from tests.conftest import TEST_SECRET, make_settings
from tests.support.audit_guard import past_the_audit_guard
from tests.support.lifespan import running


async def _departments(client, admin, *names: str) -> None:
    for name in names:
        assert (
            await client.post("/api/v1/departments", json={"name": name}, headers=admin)
        ).status_code == 201


async def _verify(client, auditor, **params) -> dict:
    response = await client.get("/api/v1/audit-log/verify", params=params, headers=auditor)
    assert response.status_code == 200, response.text
    return response.json()


def _unkeyed_hash(previous: str, row) -> str:
    """What anyone can compute without a key: SHA-256 over the previous hash and the entry's content."""
    content = {
        "prev": previous,
        "at": row.at.isoformat(),
        "actor": row.actor,
        "action": row.action,
        "resource_type": row.resource_type,
        "resource_id": row.resource_id,
        "request_id": row.request_id,
        "before": row.before,
        "after": row.after,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _rewrite(app, victim_id: int, actor: str, *, drop_key_ids: bool) -> None:
    """The attacker: change one entry and recompute every hash from it on, as the unkeyed chain allowed."""
    async with past_the_audit_guard(app.state.engine) as connection:
        rows = (await connection.execute(select(audit_log).order_by(audit_log.c.id))).all()
        previous = "0" * 64
        for stored in rows:
            row = SimpleNamespace(**stored._mapping)
            if row.id == victim_id:
                row.actor = actor
            if row.id >= victim_id:
                digest = _unkeyed_hash(previous, row)
                values = {"actor": row.actor, "hash": digest}
                if drop_key_ids and "key_id" in stored._mapping:
                    values["key_id"] = None
                await connection.execute(audit_log.update().where(audit_log.c.id == row.id).values(**values))
                previous = digest
            else:
                previous = row.hash


@pytest.mark.parametrize("drop_key_ids", [False, True], ids=["keeping key ids", "posing as unkeyed"])
async def test_an_entry_rewritten_with_every_hash_after_it_recomputed_is_found(
    app, client, admin, auditor, drop_key_ids
):
    await _departments(client, admin, "甲局", "乙局", "丙局")
    assert (await _verify(client, auditor))["valid"] is True
    entries = (await client.get("/api/v1/audit-log", headers=auditor)).json()["items"]
    victim = next(e for e in entries if e["action"] == "department.create")
    await _rewrite(app, int(victim["id"]), "mallory", drop_key_ids=drop_key_ids)

    verdict = await _verify(client, auditor)
    assert verdict["valid"] is False
    assert verdict["first_broken_id"] is not None and int(verdict["first_broken_id"]) <= int(victim["id"])


async def test_the_application_connection_cannot_update_delete_or_truncate_the_log(app, client, admin):
    await _departments(client, admin, "丁局")
    statements = ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"]
    if app.state.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            async with app.state.engine.begin() as connection:
                await connection.execute(text(statement))
    async with app.state.session_factory() as session:
        actors = set(await session.scalars(select(audit_log.c.actor)))
    assert "mallory" not in actors and "root" in actors  # nothing changed, nothing removed


def _gaoxin(database_url: str, *args: str, secret: str = TEST_SECRET) -> subprocess.CompletedProcess:
    env = os.environ | {
        "GAOXIN_DATABASE_URL": database_url,
        "GAOXIN_ENVIRONMENT": "test",
        "GAOXIN_SECRET_KEY": secret,
    }
    command = [sys.executable, "-m", "services.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


async def test_a_log_cut_back_behind_an_anchor_is_found_by_the_command_and_the_endpoint(
    app, client, admin, auditor, database_url
):
    await _departments(client, admin, "一局", "二局", "三局")
    anchored = _gaoxin(database_url, "audit", "anchor")
    assert anchored.returncode == 0, anchored.stderr
    anchor = anchored.stdout.strip()
    entry_id, _, digest = anchor.partition(":")
    assert entry_id.isdigit() and len(digest) == 64
    assert (await _verify(client, auditor, anchor=anchor))["valid"] is True
    assert _gaoxin(database_url, "audit", "verify", "--anchor", anchor).returncode == 0

    # The attacker removes the newest entries (the chain left behind is still intact) …
    async with past_the_audit_guard(app.state.engine) as connection:
        await connection.execute(text("DELETE FROM audit_log WHERE id >= :id"), {"id": int(entry_id) - 1})
    assert (await _verify(client, auditor))["valid"] is True  # without the anchor nothing shows
    # … and the service goes on appending after the shortened chain.
    await _departments(client, admin, "四局")

    verdict = await _verify(client, auditor, anchor=anchor)
    assert verdict["valid"] is False and verdict["reason"] in ("truncated", "anchor_mismatch")
    checked = _gaoxin(database_url, "audit", "verify", "--anchor", anchor)
    assert checked.returncode == 1 and "NOT valid" in checked.stdout


async def test_a_malformed_anchor_is_422(client, auditor):
    response = await client.get("/api/v1/audit-log/verify", params={"anchor": "12:xyz"}, headers=auditor)
    assert response.status_code == 422


async def test_a_new_key_appends_a_marker_and_never_rewrites_old_entries(
    app, client, admin, auditor, database_url
):
    await _departments(client, admin, "旧钥局")
    async with app.state.session_factory() as session:
        before = sorted((await session.execute(select(audit_log.c.id, audit_log.c.hash))).all())
    new_key = "new-audit-key-" + "k3Yz" * 8

    rotated = create_app(make_settings(database_url, audit_key=f"{new_key},{TEST_SECRET}"))
    transport = httpx.ASGITransport(app=rotated)
    async with (
        running(rotated),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as other,
    ):
        await _departments(other, admin, "新钥局")
        verdict = await _verify(other, auditor)
        entries = (await other.get("/api/v1/audit-log", params={"limit": 200}, headers=auditor)).json()[
            "items"
        ]
    assert verdict["valid"] is True
    markers = [e for e in entries if e["action"] == "audit.key_changed"]
    assert len(markers) == 1 and markers[0]["before"]["key_id"] != markers[0]["after"]["key_id"]
    assert entries[-1]["key_id"] == markers[0]["after"]["key_id"] != entries[0]["key_id"]
    async with app.state.session_factory() as session:
        ids = [row.id for row in before]
        kept = sorted(
            (
                await session.execute(select(audit_log.c.id, audit_log.c.hash).where(audit_log.c.id.in_(ids)))
            ).all()
        )
    assert kept == before  # the old entries are as they were

    # Without the retired key the old stretch cannot be checked: that is said, not hidden.
    forgetful = create_app(make_settings(database_url, audit_key=new_key))
    transport = httpx.ASGITransport(app=forgetful)
    async with (
        running(forgetful),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as third,
    ):
        verdict = await _verify(third, auditor)
    assert verdict["valid"] is False and verdict["reason"] == "unknown_key"
