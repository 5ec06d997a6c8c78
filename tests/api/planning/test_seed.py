"""The planning seed: the plan, its key tasks and sections, Table 1 — and a second run writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from infrastructure.db.tables.identity import audit_log
from infrastructure.db.tables.outbox import outbox
from infrastructure.db.tables.planning import indicators, plans, tasks
from infrastructure.seed import planning as planning_seed


def walk_seed(nodes):
    for node in nodes:
        yield str(node["code"]), (node["title"], node.get("description"))
        yield from walk_seed(node.get("children") or [])


async def counts(app) -> dict[str, int]:
    async with app.state.session_factory() as session:
        return {
            table.name: (await session.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (plans, tasks, indicators, outbox, audit_log)
        }


async def test_seeding_twice_writes_nothing_the_second_time(app):
    first = await planning_seed.seed(app.state.session_factory)
    after_first = await counts(app)
    assert first == 1 + after_first["tasks"] + 24
    assert after_first["plans"] == 1 and after_first["indicators"] == 24
    assert after_first["outbox"] == after_first["tasks"]  # task.created, each once
    assert await planning_seed.seed(app.state.session_factory) == 0
    assert await counts(app) == after_first


async def test_the_seeded_tree_has_the_seven_key_tasks_and_their_sections(app, client, viewer):
    await planning_seed.seed(app.state.session_factory)
    [plan] = (await client.get("/api/v1/plans", headers=viewer)).json()["items"]
    assert plan["start_year"] == 2021 and plan["end_year"] == 2025
    tree = (await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=viewer)).json()
    roots = tree["tasks"]
    assert [t["code"] for t in roots] == ["4", "5", "6", "7", "8", "9", "10"]
    assert roots[0]["title"] == "聚焦转型升级,构建高质量现代产业体系"
    assert [s["code"] for s in roots[0]["children"]] == ["4.1", "4.2"]
    fields = roots[0]["children"][1]["children"]
    assert [f["title"] for f in fields] == [
        "储能电池领域",
        "氢能源应用领域",
        "太阳能应用领域",
        "新能源汽车领域",
    ]
    assert [s["code"] for s in roots[1]["children"]] == ["5.1", "5.2", "5.3", "5.4", "5.5"]
    assert all(root["children"] for root in roots)

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node["children"])

    every = list(walk(roots))
    assert {(t["start_date"], t["due_date"]) for t in every} == {("2021-01-01", "2025-12-31")}
    assert {t["lead_department_id"] for t in every} == {None}
    # Codes, titles and descriptions as the seed file has them (sections without a paragraph have none).
    assert {t["code"]: (t["title"], t["description"]) for t in every} == dict(
        walk_seed(planning_seed.load()["tasks"])
    )


async def test_the_24_indicators_walk_in_two_pages(app, client, viewer):
    await planning_seed.seed(app.state.session_factory)
    first = (await client.get("/api/v1/indicators?limit=20", headers=viewer)).json()
    second = (
        await client.get(f"/api/v1/indicators?limit=20&cursor={first['next_cursor']}", headers=viewer)
    ).json()
    assert second["next_cursor"] is None
    items = first["items"] + second["items"]
    assert [i["code"] for i in items] == list(range(1, 25))
    by_code = {i["code"]: i for i in items}
    assert by_code[2]["baseline_value"] == "95.3" and by_code[2]["target_value"] == "147"
    assert by_code[1]["baseline_value"] is None
    assert (
        by_code[23]["unit"],
        by_code[23]["target_value"],
        by_code[23]["nature"],
        by_code[23]["direction"],
    ) == (
        "吨标准煤/万元",
        "0.4",
        "binding",
        "down",
    )
    assert {(i["baseline_year"], i["target_year"]) for i in items} == {(2020, 2025)}
    # The plan's own inconsistencies are kept in the notes, never "fixed" (GDP 95 vs 95.3; 46 vs 9 + 44)
    assert "95.3" in by_code[2]["note"] and "95亿元" in by_code[2]["note"]
    assert "46" in by_code[14]["note"] and "44" in by_code[14]["note"]
    assert sum(1 for i in items if i["note"]) == 5 and by_code[1]["note"] is None
