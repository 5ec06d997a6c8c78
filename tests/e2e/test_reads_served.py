"""`gaoxin serve` reads one enterprise as it was written (on PostgreSQL through its read pool and the driver's
own fetch), with the ETag a change then accepts, a refused write with an Idempotency-Key is answered and
replayed at once, the final evaluation is answered whole (its reads side by side on PostgreSQL), and a
stopped server exits 0 leaving no connection of either pool behind."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from domain.shared.clock import SystemClock
from tests.e2e.conftest import signed_in
from tests.e2e.served import Served, served_env

OTHER_CONNECTIONS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
ENTERPRISE = {"name": "鞍山读取科技有限公司", "cluster": "高新科创城", "aliases": ["读取科技"]}


async def connections_to(database_url: str) -> int:
    """The server's connections to the test database (PostgreSQL); 0 on SQLite, which has none."""
    if not database_url.startswith("postgresql"):
        return 0
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(OTHER_CONNECTIONS))).scalar_one()
    finally:
        await engine.dispose()


async def test_one_enterprise_read_as_written_and_no_connection_left_after_the_stop(tmp_path, database_url):
    served = Served.serve(served_env(database_url), tmp_path / "serve.log")
    await served.start()
    try:
        async with signed_in(served) as http:
            made = await http.post("/api/v1/enterprises", json=ENTERPRISE)
            assert made.status_code == 201, made.text
            url = f"/api/v1/enterprises/{made.json()['id']}"
            certified = await http.post(
                f"{url}/certifications",
                json={"kind": "tech_sme", "issued_on": SystemClock().today().isoformat()},
            )
            assert certified.status_code == 201, certified.text
            reads = [await http.get(url) for _ in range(20)]
            assert {r.status_code for r in reads} == {200}, served.output()
            assert len({r.content for r in reads}) == len({r.headers["etag"] for r in reads}) == 1
            shown = reads[0].json()
            assert {k: shown[k] for k in ENTERPRISE} == ENTERPRISE and shown["tier"] == "tech_sme"
            changed = await http.patch(
                url, json={"name": "鞍山读取科技股份有限公司"}, headers={"If-Match": reads[0].headers["etag"]}
            )
            assert changed.status_code == 200, changed.text
            assert (await http.get(url)).json()["name"] == "鞍山读取科技股份有限公司"

            refused = [
                await http.post("/api/v1/clients/nobody/rotate", headers={"Idempotency-Key": "served-rotate"})
                for _ in range(2)
            ]
            assert [r.status_code for r in refused] == [404, 404], served.output()
            assert refused[1].headers["idempotent-replayed"] == "true"

            # The final evaluation reads the plan's part and the chains' side by side (on PostgreSQL on
            # two connections of the read pool), the same each time; a refused one leaves nothing open.
            [plan] = (await http.get("/api/v1/plans")).json()["items"]
            evaluation = f"/api/v1/plans/{plan['id']}/evaluation?year=2025"
            finals = [await http.get(evaluation) for _ in range(3)]
            assert {r.status_code for r in finals} == {200}, served.output()
            assert len({r.content for r in finals}) == 1
            final = finals[0].json()
            assert (final["kind"], final["as_of"]) == ("final", "2025-12-31")
            assert (
                final["tasks"]
                and final["chains"]["items"]
                and len(final["chains"]["pipeline"]["by_year"]) == 5
            )
            assert (await http.get(evaluation.replace("2025", "2031"))).status_code == 422
            assert (await http.get("/api/v1/plans/nowhere/evaluation?year=2025")).status_code == 404
    finally:
        code = await served.stop()
    assert code == 0, served.output()
    assert await connections_to(database_url) == 0
