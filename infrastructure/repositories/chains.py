"""Repositories of the industry chains context: chains, chiefs, nodes, links, targets, enterprise facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import String, func, or_, select, type_coerce

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.gaps import CoveringLink
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeLink
from domain.chains.targets import Target, TargetStage
from domain.chains.yardstick import Entered, TargetTrack
from domain.cultivation.enterprises import EnterpriseStatus
from infrastructure.db.tables import chains as tables
from infrastructure.db.tables.cultivation import enterprises
from infrastructure.repositories.base import Reader, Repository

_STAGES = {stage.value: stage for stage in TargetStage}


class ChainRepository(Repository):
    entity = Chain

    async def by_code(self, code: str) -> Chain | None:
        return await self._one(select(Chain).where(Chain.code == code))

    async def with_name_or_code(self, name: str, code: str | None) -> list[Chain]:
        condition = Chain.name == name
        if code:
            condition = or_(condition, Chain.code == code)
        return await self._all(select(Chain).where(condition))

    async def list_page(self, *, group: str | None = None, after: str | None, limit: int) -> list[Chain]:
        statement = select(Chain)
        if group is not None:
            statement = statement.where(Chain.group == group)
        return await self.page(statement, after=after, limit=limit)


class ChiefAssignmentRepository(Repository):
    entity = ChiefAssignment

    async def history(self, chain_id: str | None) -> list[ChiefAssignment]:
        """Every assignment of the chain (of the general chief for None), oldest first."""
        condition = (
            ChiefAssignment.chain_id.is_(None) if chain_id is None else ChiefAssignment.chain_id == chain_id
        )
        statement = select(ChiefAssignment).where(condition)
        return await self._all(statement.order_by(ChiefAssignment.id))

    async def history_page(self, chain_id: str, *, after: str | None, limit: int) -> list[ChiefAssignment]:
        statement = select(ChiefAssignment).where(ChiefAssignment.chain_id == chain_id)
        return await self.page(statement, after=after, limit=limit)


class NodeRepository(Repository):
    entity = Node

    async def of_chain(self, chain_id: str) -> list[Node]:
        """The chain's nodes in creation order: the whole tree in one query."""
        statement = select(Node).where(Node.chain_id == chain_id).order_by(Node.id)
        return await self._all(statement)

    async def of_chains(self, chain_ids: Collection[str]) -> list[Node]:
        statement = select(Node).where(Node.chain_id.in_(list(chain_ids))).order_by(Node.id)
        return await self._all(statement)

    async def page_of_chain(self, chain_id: str, *, after: str | None, limit: int) -> list[Node]:
        return await self.page(select(Node).where(Node.chain_id == chain_id), after=after, limit=limit)


class NodeLinkRepository(Repository):
    entity = NodeLink

    async def of_chains(self, chain_ids: Collection[str]) -> list[NodeLink]:
        """The links of every node of these chains, in one query."""
        statement = (
            select(NodeLink)
            .join(Node, Node.id == NodeLink.node_id)
            .where(Node.chain_id.in_(list(chain_ids)))
            .order_by(NodeLink.id)
        )
        return await self._all(statement)

    async def of_chain(self, chain_id: str) -> list[NodeLink]:
        return await self.of_chains([chain_id])

    async def covering_links(self, chain_ids: Collection[str]) -> list[CoveringLink]:
        """One link to an active enterprise for each node of these chains that has one: a few hundred rows
        grouped in the database instead of every link (coverage asks only whether a node has one)."""
        links, nodes = tables.node_links, tables.nodes
        active = enterprises.c.status == EnterpriseStatus.ACTIVE
        if self.session.bind.dialect.name == "sqlite":
            # Without statistics SQLite would start from every active enterprise; told the condition is
            # mostly true, it starts from the chains' nodes and probes ix_enterprises_activity alone for
            # each link (27 → 13 ms for 10,136 links). PostgreSQL plans from its statistics.
            active = func.likely(active)
        statement = (
            select(nodes.c.chain_id, links.c.node_id, func.min(links.c.enterprise_id))
            .join(nodes, nodes.c.id == links.c.node_id)
            .join(enterprises, enterprises.c.id == links.c.enterprise_id)
            .where(nodes.c.chain_id.in_(list(chain_ids)), active)
            .group_by(nodes.c.chain_id, links.c.node_id)
        )
        return [CoveringLink(*row) for row in await self.session.execute(statement)]


class TargetRepository(Repository):
    entity = Target

    async def of_chains(self, chain_ids: Collection[str]) -> list[Target]:
        """The targets of these chains with their stage histories (loaded in one more query)."""
        statement = select(Target).where(Target.chain_id.in_(list(chain_ids))).order_by(Target.id)
        return await self._all(statement)

    async def tracks_of_chains(self, chain_ids: Collection[str]) -> list[TargetTrack]:
        """The targets of these chains by column, with their stage entries: two queries, no entities, no
        order (the pipeline of the evaluation and of the yardstick counts thousands of them as sets; sorting
        them by text id cost PostgreSQL more than reading them, and by position a fifth of the read here).
        The stages come as text and are looked up by value: the enum type's conversion of 20,000 rows cost
        more than the look-up."""
        targets, entries = tables.targets, tables.target_stage_entries
        of_chains = targets.c.chain_id.in_(list(chain_ids))
        rows = await self.session.execute(
            select(targets.c.id, targets.c.chain_id, type_coerce(targets.c.stage, String)).where(of_chains)
        )
        history: dict[str, list[Entered]] = defaultdict(list)
        entered = await self.session.execute(
            select(entries.c.target_id, type_coerce(entries.c.stage, String), entries.c.date)
            .join(targets, targets.c.id == entries.c.target_id)
            .where(of_chains)
        )
        for target_id, stage, day in entered:
            history[target_id].append(Entered(_STAGES[stage], day))
        return [
            TargetTrack(chain_id, _STAGES[stage], tuple(history.get(target_id, ())))
            for target_id, chain_id, stage in rows
        ]

    async def on_node(self, node_id: str) -> list[Target]:
        return await self._all(select(Target).where(Target.node_id == node_id))

    async def page_of_chain(
        self, chain_id: str, *, stage: str | None, after: str | None, limit: int
    ) -> list[Target]:
        statement = select(Target).where(Target.chain_id == chain_id)
        if stage is not None:
            statement = statement.where(Target.stage == stage)
        return await self.page(statement, after=after, limit=limit)


class EnterpriseFactReader(Reader):
    """What the maps need of the registry's enterprises, read straight from its table (read only)."""

    async def for_ids(self, ids: Collection[str]) -> list[EnterpriseFact]:
        if not ids:
            return []
        columns = (enterprises.c.id, enterprises.c.name, enterprises.c.cluster, enterprises.c.status)
        rows = (await self.session.execute(select(*columns).where(enterprises.c.id.in_(list(ids))))).all()
        return [EnterpriseFact(r.id, r.name, r.cluster, r.status == EnterpriseStatus.ACTIVE) for r in rows]

    async def by_names(self, names: Collection[str]) -> list[EnterpriseFact]:
        """The enterprises whose name (not alias) is one of `names`, for the seed's links."""
        if not names:
            return []
        columns = (enterprises.c.id, enterprises.c.name, enterprises.c.cluster, enterprises.c.status)
        statement = select(*columns).where(enterprises.c.name.in_(list(names))).order_by(enterprises.c.id)
        rows = (await self.session.execute(statement)).all()
        return [EnterpriseFact(r.id, r.name, r.cluster, r.status == EnterpriseStatus.ACTIVE) for r in rows]

    async def exists(self, enterprise_id: str) -> bool:
        statement = select(enterprises.c.id).where(enterprises.c.id == enterprise_id)
        return await self._one(statement) is not None
