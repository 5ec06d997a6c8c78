"""Repositories of the industry chains context: chains, chiefs, nodes, links, targets, enterprise facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import String, case, func, literal, or_, select, true, type_coerce

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.gaps import CoveringLink
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeFacts, NodeLink, Stage
from domain.chains.targets import Target, TargetStage
from domain.chains.yardstick import Entered, EnteredTally, PipelineCounts, TargetTrack
from domain.cultivation.enterprises import EnterpriseStatus
from infrastructure.db.tables import chains as tables
from infrastructure.db.tables.cultivation import enterprises
from infrastructure.repositories.base import Reader, Repository

_STAGES = {stage.value: stage for stage in TargetStage}
_NODE_STAGES = {stage.value: stage for stage in Stage}


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

    async def facts_of_chains(self, chain_ids: Collection[str]) -> list[NodeFacts]:
        n = tables.nodes.c
        statement = (
            select(n.id, n.chain_id, n.name, type_coerce(n.stage, String), n.parent_id)
            .where(n.chain_id.in_(list(chain_ids)))
            .order_by(n.id)
        )
        rows = await self.session.execute(statement)
        return [
            NodeFacts(ident, chain, name, _NODE_STAGES[stage], parent)
            for ident, chain, name, stage, parent in rows
        ]

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
        """One link to an active enterprise for each node of these chains that has one (the least enterprise
        id): a few hundred rows instead of every link (coverage asks only whether a node has one).

        Each node probes its links in enterprise order through their unique index and stops at the first
        active enterprise: most are active, so a node costs one or two index look-ups. Joining every link
        to the registry and grouping made PostgreSQL scan all 50,000 enterprises (39 → 6 ms for 10,136
        links); PostgreSQL takes the probe as a LATERAL join, SQLite (which has none) as a correlated
        subquery."""
        links, nodes = tables.node_links, tables.nodes
        first = (
            select(links.c.enterprise_id)
            .join(enterprises, enterprises.c.id == links.c.enterprise_id)
            .where(links.c.node_id == nodes.c.id, enterprises.c.status == EnterpriseStatus.ACTIVE)
            .order_by(links.c.enterprise_id)
            .limit(1)
        )
        of_chains = nodes.c.chain_id.in_(list(chain_ids))
        if self.session.bind.dialect.name == "postgresql":
            probe = first.lateral()
            statement = select(nodes.c.chain_id, nodes.c.id, probe.c.enterprise_id).join(probe, true())
            statement = statement.where(of_chains)
        else:
            probed = select(nodes.c.chain_id, nodes.c.id, first.scalar_subquery().label("enterprise_id"))
            found = probed.where(of_chains).subquery()
            statement = select(found).where(found.c.enterprise_id.is_not(None))
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

    async def pipeline_counts(
        self, chain_ids: Collection[str] | None, years: range, *, until: date
    ) -> PipelineCounts:
        """Two grouped counts instead of every target and stage entry (20,000 rows on the stress data, read
        and counted in Python: 85 ms): the targets by stage now, and the entries of each stage in each year
        of `years` up to `until`. A target enters a stage once (uq_target_stage_entries_stage), so entries
        count targets as `entered_by_year` does. Every chain (None) needs no join to the targets."""
        targets, entries = tables.targets, tables.target_stage_entries
        stage = type_coerce(targets.c.stage, String)
        now = select(stage, func.count()).group_by(stage)
        # The year of an entry by comparing dates, not by a date function: a third of the statement's time
        # on PostgreSQL (EXTRACT yields a numeric) and half on SQLite (STRFTIME parses text).
        whens = [(entries.c.date < date(y + 1, 1, 1), y) for y in years[:-1]]
        year = case(*whens, else_=years[-1]) if whens else literal(years.start)
        entered_stage = type_coerce(entries.c.stage, String)
        last = min(until, date(years.stop - 1, 12, 31)) if years else until
        entered = (
            select(year, entered_stage, func.count())
            .where(entries.c.date.between(date(years.start, 1, 1), last))
            .group_by(year, entered_stage)
        )
        if chain_ids is not None:
            of_chains = targets.c.chain_id.in_(list(chain_ids))
            now = now.where(of_chains)
            entered = entered.join(targets, targets.c.id == entries.c.target_id).where(of_chains)
        by_stage = (await self.session.execute(now)).all()
        tally = [EnteredTally(*row) for row in await self.session.execute(entered)] if years else []
        return PipelineCounts.of_tally(by_stage, tally, years)

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
