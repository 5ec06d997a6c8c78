"""A read of one thing costs one round trip to PostgreSQL once its caller is known: no BEGIN or ROLLBACK
around a single statement, the enterprise and what its tier needs in one statement, the principal from the
process's cache. On SQLite the same reads take their one statement inside a deferred transaction (a
snapshot), and the principal is read on every request."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager, nullcontext

import pytest
from sqlalchemy import select

from domain.cultivation.enterprises import Enterprise
from infrastructure.db.tables.identity import audit_log
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.accounts import make_user, password_login
from tests.support.statements import engines_of, listening

ENTERPRISE = {"name": "鞍山一号科技有限公司", "cluster": "高新科创城"}
CERTIFICATION = {"kind": "tech_sme", "issued_on": "2024-03-01"}


@contextmanager
def round_trips(app):
    """What the block sends the database, one entry a round trip: each statement, and on PostgreSQL the
    transaction control asyncpg sends for it (BEGIN, COMMIT, ROLLBACK)."""
    sent: list[str] = []
    postgresql = app.state.engine.dialect.name == "postgresql"
    watched: list = []

    def statement(_conn, _cursor, text, *_args) -> None:
        sent.append(text)

    def logged(record) -> None:  # asyncpg's own log: what it sends outside SQLAlchemy's prepared statements
        sent.append(record.query)  # transaction control, and the hot reads fetched by the driver itself

    def checkout(dbapi_connection, _record, _proxy) -> None:
        raw = dbapi_connection._connection
        if raw not in watched:
            raw.add_query_logger(logged)
            watched.append(raw)

    watch_checkouts = listening(app, "checkout", checkout) if postgresql else nullcontext()
    with listening(app, "before_cursor_execute", statement), watch_checkouts:
        try:
            yield sent
        finally:
            for raw in watched:
                raw.remove_query_logger(logged)


async def signed_in(app, client, username: str, roles: list[str]) -> dict[str, str]:
    await make_user(app, username, roles)
    tokens = (await password_login(client, username)).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    if app.state.engine.dialect.name == "postgresql":
        for _ in range(500):  # the cache is on once the lifespan's listener is connected
            if app.state.principal_cache.enabled:
                break
            await asyncio.sleep(0.01)
    return headers


async def returned(app) -> None:
    """Until the request's connection is back in the pool: a unit of work ends after the answer."""
    pools = [engine.pool for engine in engines_of(app)]
    for _ in range(500):
        if all(pool.checkedout() == 0 for pool in pools):
            await asyncio.sleep(0.01)  # asyncpg hands its query log over on a later turn of the loop
            return
        await asyncio.sleep(0.002)
    raise AssertionError("a connection was never returned")


async def sent_for(app, client, headers, url: str) -> list[str]:
    first = await client.get(url, headers=headers)  # the principal remembered, the statements prepared
    assert first.status_code == 200, first.text
    with round_trips(app) as sent:
        again = await client.get(url, headers=headers)
        await returned(app)
    assert again.status_code == 200 and again.content == first.content
    return sent


def only_the_read(app, sent: list[str], read: str) -> bool:
    """PostgreSQL: the one statement and nothing else. SQLite: BEGIN, the principal, the one statement."""
    if app.state.engine.dialect.name == "postgresql":
        assert len(sent) == 1, sent
    else:
        assert len(sent) == 3 and sent[0] == "BEGIN" and "auth_sessions" in sent[1], sent
    return read in " ".join(sent[-1].split())


async def test_one_enterprise_is_one_round_trip(app, client):
    officer = await signed_in(app, client, "officer", ["officer"])
    made = await client.post("/api/v1/enterprises", json=ENTERPRISE, headers=officer)
    assert made.status_code == 201, made.text
    enterprise_id = made.json()["id"]
    url = f"/api/v1/enterprises/{enterprise_id}"
    certified = await client.post(f"{url}/certifications", json=CERTIFICATION, headers=officer)
    assert certified.status_code == 201, certified.text
    viewer = await signed_in(app, client, "viewer", ["viewer"])
    sent = await sent_for(app, client, viewer, url)
    assert only_the_read(app, sent, "FROM enterprises LEFT OUTER JOIN certifications")


async def test_one_task_is_one_round_trip(app, client):
    planner = await signed_in(app, client, "planner", ["planner"])
    plan = await client.post(
        "/api/v1/plans", json={"title": "规划", "start_year": 2021, "end_year": 2025}, headers=planner
    )
    assert plan.status_code == 201, plan.text
    task = await client.post(
        "/api/v1/tasks",
        json={
            "plan_id": plan.json()["id"],
            "title": "任务",
            "start_date": "2021-01-01",
            "due_date": "2025-12-31",
        },
        headers=planner,
    )
    assert task.status_code == 201, task.text
    viewer = await signed_in(app, client, "viewer", ["viewer"])
    sent = await sent_for(app, client, viewer, f"/api/v1/tasks/{task.json()['id']}")
    assert only_the_read(app, sent, "LEFT OUTER JOIN progress_reports")


async def test_what_a_read_unit_records_is_committed_and_an_entity_it_changed_is_refused(app):
    """A read unit's audit entry lasts (in a transaction of its own on PostgreSQL, where the read itself
    runs in autocommit); a read unit that changed an entity there is a bug, refused, not half-written."""
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as writer:
        enterprise = Enterprise.register("鞍山只读科技有限公司")
        writer.enterprises.add(enterprise)
        await writer.commit()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False, actor="reader") as reader:
        reader.audit("enterprise.sensitive_read", "enterprise", enterprise.id, fields=["revenue"])
        await reader.commit()
    async with app.state.session_factory() as session:
        entries = (
            await session.execute(
                select(audit_log.c.actor).where(audit_log.c.action == "enterprise.sensitive_read")
            )
        ).all()
    assert [tuple(e) for e in entries] == [("reader",)]
    if app.state.engine.dialect.name != "postgresql":
        return
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as reader:
        found = await reader.enterprises.get(enterprise.id)
        found.name = "改名"
        with pytest.raises(RuntimeError, match="read unit of work changes no entity"):
            await reader.commit()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as reader:
        assert (await reader.enterprises.get(enterprise.id)).name == "鞍山只读科技有限公司"
