"""`gaoxin serve --workers 2`: every worker answers the reads it serves first, whatever they are (a worker
whose first requests were GETs of one enterprise answered them 500 until something ran an ORM query)."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import signed_in
from tests.e2e.served import Served, sample_database

READS = 40


async def test_two_workers_answer_one_enterprise_from_their_first_request(tmp_path):
    _, env = sample_database(tmp_path)
    async with Served.serve(env, tmp_path / "serve.log", "--workers", "2") as served:
        async with signed_in(served) as http:
            token = http.headers["Authorization"]
            [enterprise] = (await http.get("/api/v1/enterprises", params={"limit": 1})).json()["items"]
        codes = []
        for _ in range(READS):  # a new connection each: the two workers share the listening socket
            async with httpx.AsyncClient(base_url=served.base_url, timeout=20) as fresh:
                response = await fresh.get(
                    f"/api/v1/enterprises/{enterprise['id']}", headers={"Authorization": token}
                )
                codes.append(response.status_code)
    assert codes == [200] * READS, served.output()
