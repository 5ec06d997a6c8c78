"""The chains context's repositories in memory (the ports of domain/chains/ports.py).

The real repositories return a chain's nodes, links, targets and chief assignments in id order, which is
creation order; here they come in the order they were added, which is the same without the ties of ids made
within one millisecond (a handler ring test makes many). Pages are keyset pages by id, as the real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.gaps import CoveringLink
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeFacts, NodeLink
from domain.chains.targets import Target
from domain.chains.yardstick import Entered, PipelineCounts, TargetTrack, pipeline_counts
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from tests.unit.fakes.base import FakeRepository


class _InCreationOrder(FakeRepository):
    def created(self, keep: Callable[[Any], bool]) -> list[Any]:
        """Every entity `keep` accepts, in the order it was added, remembered."""
        return self._all(e for e in self.items.values() if keep(e))


class FakeChainRepository(_InCreationOrder):
    async def with_name_or_code(self, name: str, code: str | None) -> list[Chain]:
        return self.created(lambda c: c.name == name or (bool(code) and c.code == code))

    async def list_page(self, *, group: str | None = None, after: str | None, limit: int) -> list[Chain]:
        return await self.page_where(lambda c: group is None or c.group == group, after=after, limit=limit)


class FakeChiefAssignmentRepository(_InCreationOrder):
    async def history(self, chain_id: str | None) -> list[ChiefAssignment]:
        return self.created(lambda a: a.chain_id == chain_id)

    async def history_page(self, chain_id: str, *, after: str | None, limit: int) -> list[ChiefAssignment]:
        return await self.page_where(lambda a: a.chain_id == chain_id, after=after, limit=limit)


class FakeNodeRepository(_InCreationOrder):
    async def of_chain(self, chain_id: str) -> list[Node]:
        return self.created(lambda n: n.chain_id == chain_id)

    async def of_chains(self, chain_ids: Collection[str]) -> list[Node]:
        return self.created(lambda n: n.chain_id in chain_ids)

    async def facts_of_chains(self, chain_ids: Collection[str]) -> list[NodeFacts]:
        return [
            NodeFacts(n.id, n.chain_id, n.name, n.stage, n.parent_id) for n in await self.of_chains(chain_ids)
        ]

    async def page_of_chain(self, chain_id: str, *, after: str | None, limit: int) -> list[Node]:
        return await self.page_where(lambda n: n.chain_id == chain_id, after=after, limit=limit)


class FakeNodeLinkRepository(_InCreationOrder):
    async def of_chains(self, chain_ids: Collection[str]) -> list[NodeLink]:
        """The links whose node belongs to one of the chains (the real one joins the nodes)."""
        nodes = self.uow.chain_nodes.items
        return self.created(lambda link: link.node_id in nodes and nodes[link.node_id].chain_id in chain_ids)

    async def of_chain(self, chain_id: str) -> list[NodeLink]:
        return await self.of_chains([chain_id])

    async def covering_links(self, chain_ids: Collection[str]) -> list[CoveringLink]:
        nodes, enterprises = self.uow.chain_nodes.items, self.uow.enterprises.items
        first: dict[str, CoveringLink] = {}
        for link in await self.of_chains(chain_ids):
            enterprise = enterprises.get(link.enterprise_id)
            if enterprise is None or enterprise.status != EnterpriseStatus.ACTIVE:
                continue
            found = CoveringLink(nodes[link.node_id].chain_id, link.node_id, link.enterprise_id)
            first[link.node_id] = min(first.get(link.node_id, found), found)
        return list(first.values())


class FakeTargetRepository(_InCreationOrder):
    async def of_chains(self, chain_ids: Collection[str]) -> list[Target]:
        return self.created(lambda t: t.chain_id in chain_ids)

    async def tracks_of_chains(self, chain_ids: Collection[str]) -> list[TargetTrack]:
        return [
            TargetTrack(t.chain_id, t.stage, tuple(Entered(e.stage, e.date) for e in t.stage_history))
            for t in sorted(await self.of_chains(chain_ids), key=lambda t: t.id)
        ]

    async def pipeline_counts(
        self, chain_ids: Collection[str] | None, years: range, *, until: date
    ) -> PipelineCounts:
        targets = self.created(lambda t: chain_ids is None or t.chain_id in chain_ids)
        return pipeline_counts(targets, years, until=until)

    async def on_node(self, node_id: str) -> list[Target]:
        return self.created(lambda t: t.node_id == node_id)

    async def page_of_chain(
        self, chain_id: str, *, stage: str | None, after: str | None, limit: int
    ) -> list[Target]:
        return await self.page_where(
            lambda t: t.chain_id == chain_id and (stage is None or t.stage == stage), after=after, limit=limit
        )


class FakeEnterpriseFactReader:
    """What the chains read of the registry, from the registry's own fake (`uow.enterprises`), as the real
    reader reads the enterprises' table."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def remembered(self) -> list[Any]:
        return []  # facts are values: they carry no events

    def _facts(self, keep: Callable[[Enterprise], bool]) -> list[EnterpriseFact]:
        return [
            EnterpriseFact(e.id, e.name, e.cluster, e.status == EnterpriseStatus.ACTIVE)
            for e in self.uow.enterprises.items.values()
            if keep(e)
        ]

    async def for_ids(self, ids: Collection[str]) -> list[EnterpriseFact]:
        return self._facts(lambda e: e.id in ids)

    async def by_names(self, names: Collection[str]) -> list[EnterpriseFact]:
        return self._facts(lambda e: e.name in names)

    async def exists(self, enterprise_id: str) -> bool:
        return enterprise_id in self.uow.enterprises.items


class ChainsRepositories:
    """Mixed into FakeUnitOfWork: `make_chains_repositories()` sets one attribute a repository port."""

    def make_chains_repositories(self) -> None:
        self.chains = self._repository(FakeChainRepository)
        self.chief_assignments = self._repository(FakeChiefAssignmentRepository)
        self.chain_nodes = self._repository(FakeNodeRepository)
        self.node_links = self._repository(FakeNodeLinkRepository)
        self.targets = self._repository(FakeTargetRepository)
        self.enterprise_facts = self._repository(FakeEnterpriseFactReader)
        # The registry's enterprises a target reaching production finds or adds (domain/chains/ports.py)
        # are the cultivation context's own fake, `self.enterprises`.
