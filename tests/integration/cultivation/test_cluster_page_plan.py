"""The registry's page of one cluster (组团) walks an index in id order and stops at the page's end, and reads
its enterprises' stored tiers by enterprise: SQLite's plans for the statements the page sends sort nothing
and scan no day's tiers (before, every enterprise of the cluster was sorted for each page, and the tiers
were looked for among every enterprise's row of the day). PostgreSQL's planner decides by its statistics;
the bench measures it there."""

from __future__ import annotations

import pytest

from tests.support.accounts import make_user, password_login
from tests.support.statements import listening

CLUSTERS = ("高新科创城", "数字经济产业组团")


async def test_a_page_of_one_cluster_is_read_in_index_order_without_a_sort(app, client):
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    await make_user(app, "officer", ["officer"])
    headers = {"Authorization": f"Bearer {(await password_login(client, 'officer')).json()['access_token']}"}
    for n in range(12):
        body = {"name": f"鞍山组团{n:02d}科技有限公司", "cluster": CLUSTERS[n % 2]}
        assert (await client.post("/api/v1/enterprises", json=body, headers=headers)).status_code == 201
    sent: list[tuple[str, object]] = []

    def note(_connection, _cursor, statement, parameters, *_args) -> None:
        if (
            "FROM enterprises" in statement and "cluster" in statement
        ) or "FROM enterprise_tiers" in statement:
            sent.append((statement, parameters))

    with listening(app, "before_cursor_execute", note):
        first = await client.get(
            "/api/v1/enterprises", params={"cluster": CLUSTERS[0], "limit": 4}, headers=headers
        )
        assert first.status_code == 200, first.text
        cursor = first.json()["next_cursor"]
        after = {"cluster": CLUSTERS[0], "limit": 4, "cursor": cursor}
        second = await client.get("/api/v1/enterprises", params=after, headers=headers)
        assert second.status_code == 200, second.text
    shown = first.json()["items"] + second.json()["items"]
    assert {e["name"] for e in shown} == {f"鞍山组团{n:02d}科技有限公司" for n in range(0, 12, 2)}
    assert [e["id"] for e in shown] == sorted(e["id"] for e in shown)  # in id order across the two pages
    pages = [(q, p) for q, p in sent if "FROM enterprises" in q]
    tiers = [(q, p) for q, p in sent if "FROM enterprise_tiers" in q]
    assert len(pages) == len(tiers) == 2  # the first page and the one after its cursor, each with its tiers
    async with app.state.engine.connect() as connection:  # the page's own statements, as it sent them
        for (statement, parameters), index in [
            *((s, "ix_enterprises_cluster_id") for s in pages),
            *((s, "sqlite_autoindex_enterprise_tiers_1") for s in tiers),
        ]:
            plan = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)).all()
            steps = " | ".join(str(row[-1]) for row in plan)
            assert index in steps and "TEMP B-TREE" not in steps, steps
