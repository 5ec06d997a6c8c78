"""A target reaching production: stage, enterprise, link, closed gap and their events in one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from domain.chains.chains import Chain
from domain.chains.handlers import targets
from domain.chains.nodes import Node
from domain.chains.targets import Target
from domain.identity.policy import Principal
from infrastructure.db.tables.chains import node_links
from infrastructure.db.tables.cultivation import enterprises
from infrastructure.db.tables.identity import audit_log
from infrastructure.db.tables.outbox import outbox
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

ADMIN = Principal(kind="user", id="u-admin", name="root", roles=frozenset({"admin"}))
ON = date(2025, 6, 30)


async def _courted(app) -> tuple[Chain, Node, Target]:
    """新能源汽车 with its gap 新能源乘用车 and 比亚迪 courted for it."""
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        chain = Chain(name="新能源汽车")
        node = Node(chain_id=chain.id, name="新能源乘用车", stage="midstream")
        target = Target.create(chain_id=chain.id, company_name="比亚迪", on=date(2021, 12, 1), node=node)
        for repository, entity in ((uow.chains, chain), (uow.chain_nodes, node), (uow.targets, target)):
            repository.add(entity)
        await uow.commit()
    return chain, node, target


async def _rows(app, table, *conditions) -> list:
    async with app.state.session_factory() as session:
        return (await session.execute(select(table).where(*conditions))).all()


async def test_production_commits_everything_with_its_events_in_one_transaction(app):
    chain, node, target = await _courted(app)
    before = len(await _rows(app, outbox))
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="root", request_id="req-1") as uow:
        moved = await targets.move_target(target.id, "in_production", ON, principal=ADMIN, uow=uow, today=ON)

    [enterprise] = await _rows(app, enterprises, enterprises.c.name == "比亚迪")
    assert moved.enterprise_id == enterprise.id and moved.stage == "in_production"
    [link] = await _rows(app, node_links, node_links.c.node_id == node.id)
    assert (link.enterprise_id, link.role) == (enterprise.id, "supporting")

    rows = (await _rows(app, outbox))[before:]
    assert sorted(r.type for r in rows) == [
        "chain.node_gap_closed",
        "enterprise.registered",
        "target.stage_changed",
    ]
    by_type = {r.type: r for r in rows}
    assert by_type["target.stage_changed"].data == {
        "from": "lead",
        "to": "in_production",
        "date": "2025-06-30",
    }
    assert by_type["chain.node_gap_closed"].subject_id == chain.id
    assert by_type["chain.node_gap_closed"].data == {
        "chain_id": chain.id,
        "node_id": node.id,
        "node_removed": False,
    }
    assert by_type["enterprise.registered"].subject_id == enterprise.id
    assert len({r.txid for r in rows}) == 1
    audited = await _rows(app, audit_log, audit_log.c.request_id == "req-1")
    assert {a.resource_type for a in audited} >= {"target", "chain_node_link"}


class _CrashAtCommit(SqlAlchemyUnitOfWork):
    async def commit(self) -> None:
        await self.session.flush()
        raise RuntimeError("the database went away mid-commit")


async def test_a_failed_production_leaves_nothing_behind(app):
    _, node, target = await _courted(app)
    before = len(await _rows(app, outbox))
    with pytest.raises(RuntimeError):
        async with _CrashAtCommit(app.state.session_factory, actor="root") as uow:
            await targets.move_target(target.id, "in_production", ON, principal=ADMIN, uow=uow, today=ON)
    async with app.state.session_factory() as session:
        assert (await session.get(Target, target.id)).stage == "lead"
        assert await session.scalar(select(func.count()).select_from(enterprises)) == 0
    assert await _rows(app, node_links, node_links.c.node_id == node.id) == []
    assert len(await _rows(app, outbox)) == before
