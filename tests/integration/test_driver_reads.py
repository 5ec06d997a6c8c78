"""A hot read fetched by the driver gives exactly the rows SQLAlchemy gives — the same values of the same
types — and a driver that fails hands the statement back to SQLAlchemy, which takes a dead connection out of
the pool and raises what the error layer knows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.cultivation.certifications import CertificationKind
from domain.cultivation.enterprises import EnterpriseStatus
from infrastructure.db.driver_reads import rows_of
from infrastructure.db.engine import read_engine
from infrastructure.repositories.cultivation import _WITH_CERTIFICATIONS
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.errors import is_database_outage
from tests.support.accounts import make_user, password_login
from tests.support.databases import backend

ENTERPRISES = [
    {"name": "鞍山一号科技有限公司", "cluster": "高新科创城"},
    {
        "name": "鞍山二号激光有限公司",
        "aliases": ["二号激光", "Anshan Laser"],
        "credit_code": "91210300MA0QB7XK3Y",
        "registered_on": "2015-03-01",
        "cluster": "数字经济产业组团",
        "listed": True,
        "stock_code": "300001",
        "listed_on": "2021-06-18",
    },
    {"name": "鞍山三号软件有限公司", "listed": False},
]
CERTIFICATIONS = [
    [],
    [
        {"kind": "tech_sme", "issued_on": "2021-04-01"},
        {"kind": "hnte", "number": "GR202121000123", "issued_on": "2021-11-20", "authority": "辽宁省科技厅"},
        {"kind": "specialized", "issued_on": "2023-02-10"},
    ],
    [{"kind": "tech_sme", "issued_on": "2024-03-01"}],
]


async def _registry(app, client) -> list[str]:
    await make_user(app, "officer", ["officer"])
    token = (await password_login(client, "officer")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for fields, certifications in zip(ENTERPRISES, CERTIFICATIONS, strict=True):
        made = await client.post("/api/v1/enterprises", json=fields, headers=headers)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
        for certification in certifications:
            url = f"/api/v1/enterprises/{ids[-1]}/certifications"
            assert (await client.post(url, json=certification, headers=headers)).status_code == 201
    # One certification revoked: its date and reason are read back too.
    second = await client.get(f"/api/v1/enterprises/{ids[1]}/certifications", headers=headers)
    specialized = next(c for c in second.json()["items"] if c["kind"] == "specialized")
    revoked = await client.patch(
        f"/api/v1/enterprises/{ids[1]}/certifications/{specialized['id']}",
        json={"revoked": True, "revoked_on": "2024-05-01", "reason": "复核未通过"},
        headers={**headers, "If-Match": specialized["etag"]},
    )
    assert revoked.status_code == 200, revoked.text
    return [*ids, "no-such-enterprise"]


async def test_the_driver_gives_the_rows_sqlalchemy_gives(app, client):
    ids = await _registry(app, client)
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        for enterprise_id in ids * 2:  # the second time with the processors found the first
            parameters = {"enterprise_id": enterprise_id}
            fetched = await rows_of(uow.session, _WITH_CERTIFICATIONS, parameters)
            expected = (await uow.session.execute(_WITH_CERTIFICATIONS, parameters)).all()
            assert [tuple(r) for r in fetched] == [tuple(r) for r in expected], enterprise_id
            for got, wanted in zip(fetched, expected, strict=True):
                assert [type(v) for v in got] == [type(v) for v in wanted], enterprise_id
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        rows = await rows_of(uow.session, _WITH_CERTIFICATIONS, {"enterprise_id": ids[1]})
    flat = [value for row in rows for value in row]
    assert len(rows) == 3  # one row a certification
    assert {type(v) for v in flat} >= {EnterpriseStatus, CertificationKind, date, list, bool}  # not text
    assert date(2024, 5, 1) in flat and ["二号激光", "Anshan Laser"] in flat


@pytest.mark.skipif(backend() != "postgresql", reason="SQLite: every read goes through SQLAlchemy")
async def test_a_dead_connection_is_taken_out_of_the_pool_and_reported_as_an_outage(app, client):
    ids = await _registry(app, client)
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        connection = await uow.session.connection()
        driver = connection.sync_connection.connection.driver_connection
        pid = driver.get_server_pid()
        async with SqlAlchemyUnitOfWork(app.state.session_factory, write=True) as other:
            await other.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as raised:
            await rows_of(uow.session, _WITH_CERTIFICATIONS, {"enterprise_id": ids[1]})
    assert raised.value.connection_invalidated and is_database_outage(raised.value)
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:  # a live connection again
        rows = await rows_of(uow.session, _WITH_CERTIFICATIONS, {"enterprise_id": ids[1]})
        assert len(rows) == 3
        assert (
            await uow.session.connection()
        ).sync_connection.connection.driver_connection.get_server_pid() != pid


@pytest.mark.skipif(backend() != "postgresql", reason="SQLite: every read goes through SQLAlchemy")
async def test_a_read_units_lone_statement_holds_a_connection_only_while_it_runs(app, client):
    """GET one's statement runs on a read-pool connection of its own, given back at once; once the unit's
    session holds a connection, the unit's statements run there (one connection a unit)."""
    ids = await _registry(app, client)
    pool = read_engine(app.state.engine).sync_engine.pool
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        assert len(await rows_of(uow.session, _WITH_CERTIFICATIONS, {"enterprise_id": ids[1]})) == 3
        assert pool.checkedout() == 0 and not uow.session.in_transaction()
        await uow.session.execute(text("SELECT 1"))
        assert len(await rows_of(uow.session, _WITH_CERTIFICATIONS, {"enterprise_id": ids[1]})) == 3
        assert pool.checkedout() == 1


@pytest.mark.skipif(backend() != "postgresql", reason="SQLite: every read goes through SQLAlchemy")
async def test_a_lone_statement_on_a_dead_connection_closes_it_and_the_next_read_finds_a_live_one(
    app, client
):
    ids = await _registry(app, client)
    reads = read_engine(app.state.engine)
    pool = reads.sync_engine.pool
    idle = [await reads.raw_connection() for _ in range(pool.checkedin())]
    pids = [connection.driver_connection.get_server_pid() for connection in idle]
    for connection in idle:
        connection.close()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=True) as other:
        for pid in pids:  # every idle read connection dies with its server process
            await other.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    for _ in range(2):  # the first read may still meet a dead one on its second try: an outage then
        async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
            try:
                rows = await rows_of(uow.session, _WITH_CERTIFICATIONS, {"enterprise_id": ids[1]})
            except DBAPIError as raised:
                assert raised.connection_invalidated and is_database_outage(raised)
                continue
        assert len(rows) == 3
        break
    else:
        pytest.fail("no read found a live connection")
    assert pool.checkedout() == 0
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        await uow.session.execute(text("SELECT 1"))
        live = (await uow.session.connection()).sync_connection.connection.driver_connection.get_server_pid()
    assert live not in pids
