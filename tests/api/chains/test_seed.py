"""The chains seed: the plan's 11 chains with their trees, links and targets — and nothing twice."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from sqlalchemy import func, select

from domain.cultivation.enterprises import Enterprise
from infrastructure.db.tables import chains as t
from infrastructure.db.tables.outbox import outbox
from infrastructure.seed import DATA, seed_all
from infrastructure.seed import cultivation as cultivation_seed
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.chains.conftest import CHAINS

PLAN = yaml.safe_load((DATA / "chains.yaml").read_text(encoding="utf-8"))["chains"]


def _walk(nodes):
    for node in nodes or []:
        yield node
        yield from _walk(node.get("children"))


async def _complete_registry(app) -> None:
    """Register from enterprises.yaml what the cultivation seed did not (all of it while it is a stub)."""
    records = yaml.safe_load((DATA / "enterprises.yaml").read_text(encoding="utf-8"))["enterprises"]
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        for record in records:
            if await uow.enterprises.by_name(record["name"]) is None:
                details = {k: record[k] for k in ("aliases", "cluster", "listed") if k in record}
                uow.enterprises.add(Enterprise.register(record["name"], **details))
        await uow.commit()


async def _counts(app) -> dict[str, int]:
    tables = {
        "chains": t.chains,
        "nodes": t.nodes,
        "links": t.node_links,
        "targets": t.targets,
        "outbox": outbox,
    }
    async with app.state.session_factory() as session:
        return {k: await session.scalar(select(func.count()).select_from(v)) for k, v in tables.items()}


@pytest.fixture
async def seeded(app) -> dict[str, int]:
    await cultivation_seed.seed(app.state.session_factory)
    await _complete_registry(app)
    first = await seed_all(app.state.session_factory)
    return first


async def test_seeding_writes_the_plan_once(app, seeded):
    nodes = sum(len(list(_walk(c["nodes"]))) for c in PLAN)
    links = sum(len(n.get("enterprises") or []) for c in PLAN for n in _walk(c["nodes"]))
    targets = sum(len(c.get("targets") or []) for c in PLAN)
    counts = await _counts(app)
    assert (counts["chains"], counts["nodes"], counts["links"], counts["targets"]) == (
        11,
        nodes,
        links,
        targets,
    )
    assert seeded["chains"] == 11 + nodes + links + targets

    again = await seed_all(app.state.session_factory)
    assert again["chains"] == 0
    assert await _counts(app) == counts  # no row, no event


async def test_the_seeded_chains_and_the_energy_storage_map(client, app, seeded, people):
    viewer = people["viewer"]["headers"]
    listed = (await client.get(CHAINS, headers=viewer)).json()["items"]
    assert [c["name"] for c in listed] == [c["name"] for c in PLAN]
    assert {c["group"] for c in listed} == {"数字经济", "新能源"}
    storage = next(c for c in listed if c["name"] == "储能电池")
    assert (await client.get(f"{CHAINS}/{storage['id']}/chief", headers=viewer)).status_code == 404

    body = (await client.get(f"{CHAINS}/{storage['id']}/map", headers=viewer)).json()
    by_name = {n["name"]: n for n in body["nodes"]}
    assert [(e["name"], e["role"], e["cluster"]) for e in by_name["锂离子电池"]["enterprises"]] == [
        ("九夷锂能", "leader", "新能源产业组团")
    ]
    assert [e["name"] for e in by_name["钠离子电池"]["enterprises"]] == ["星空钠电"]
    gaps = {by_name_id["name"] for by_name_id in body["nodes"] if by_name_id["id"] in body["gaps"]}
    assert gaps == {
        "正极材料",
        "负极材料",
        "隔膜",
        "电解液",
        "电芯",
        "电池管理系统",
        "储能管理系统",
        "技术服务",
    }
    assert body["coverage"] == round(3 / 11, 4)
    assert by_name["正负极材料"]["gap"] is False and by_name["电芯"]["gap"] is True

    targets = (await client.get(f"{CHAINS}/{storage['id']}/targets", headers=viewer)).json()["items"]
    sodium_park = next(x for x in targets if x["company_name"] == "星空能源钠电池产业园")
    assert sodium_park["node_id"] == by_name["钠离子电池"]["id"] and sodium_park["stage"] == "lead"
    assert sodium_park["stage_history"] == [
        {"stage": "lead", "date": date(2021, 12, 1).isoformat(), "note": None}
    ]
    assert sodium_park["note"] == "钠离子电池领域,重点推进星空能源钠电池产业园项目建设"

    hydrogen = next(c for c in listed if c["name"] == "氢能源应用")
    tianan = (await client.get(f"{CHAINS}/{hydrogen['id']}/map", headers=viewer)).json()
    leaders = {e["name"] for n in tianan["nodes"] for e in n["enterprises"]}
    assert leaders == {"天安集团"} and hydrogen["leader_enterprise_id"] is not None

    async with app.state.session_factory() as session:
        rows = (await session.execute(select(outbox).where(outbox.c.subject_id == storage["id"]))).all()
    assert sorted(r.data["node_id"] for r in rows if r.type == "chain.node_gap_opened") == sorted(
        body["gaps"]
    )
    assert [r for r in rows if r.type == "chain.node_gap_closed"] == []
