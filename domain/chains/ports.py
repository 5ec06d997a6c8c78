"""Ports of the industry chains context: the repositories its handlers reach, and its units of work.

`infrastructure/repositories/chains.py` implements them on the database, `tests/unit/fakes/chains.py` in
memory; `infrastructure/unit_of_work.py` hands them out under the attribute names declared here. Two use
cases reach a neighbour: assigning a chief looks up the user (identity's own port), and a target reaching
production finds or registers its enterprise (cultivation: the little it needs is declared below).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Protocol

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.gaps import CoveringLink
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeFacts, NodeLink
from domain.chains.targets import Target
from domain.chains.yardstick import PipelineCounts, TargetTrack
from domain.cultivation.enterprises import Enterprise
from domain.identity.ports import UserRepositoryPort
from domain.shared.uow import Repository, UnitOfWork

# Keyset pages: `limit + 1` entities after the position `after`, in id order, so that the caller knows
# whether another page exists.


class ChainRepositoryPort(Repository[Chain], Protocol):
    """产业链."""

    async def with_name_or_code(self, name: str, code: str | None) -> list[Chain]:
        """The chains named `name`, or coded `code` when one is given."""

    async def list_page(self, *, group: str | None = None, after: str | None, limit: int) -> list[Chain]: ...


class ChiefAssignmentRepositoryPort(Repository[ChiefAssignment], Protocol):
    """链长任命: a chain's assignments, or the general chief's (chain_id None)."""

    async def history(self, chain_id: str | None) -> list[ChiefAssignment]:
        """Every assignment of the chain (of the general chief for None), oldest first."""

    async def history_page(
        self, chain_id: str, *, after: str | None, limit: int
    ) -> list[ChiefAssignment]: ...


class NodeRepositoryPort(Repository[Node], Protocol):
    """环节: a chain's tree."""

    async def of_chain(self, chain_id: str) -> list[Node]:
        """The chain's nodes in creation (id) order."""

    async def of_chains(self, chain_ids: Collection[str]) -> list[Node]:
        """The nodes of these chains in creation (id) order."""

    async def facts_of_chains(self, chain_ids: Collection[str]) -> list[NodeFacts]:
        """The nodes of these chains as plain facts, in creation (id) order."""

    async def page_of_chain(self, chain_id: str, *, after: str | None, limit: int) -> list[Node]: ...


class NodeLinkRepositoryPort(Protocol):
    """环节企业: the enterprises linked to the nodes (a relationship, found through its chain)."""

    def add(self, entity: NodeLink) -> None: ...

    async def delete(self, entity: NodeLink) -> None: ...

    async def of_chain(self, chain_id: str) -> list[NodeLink]:
        """The links of every node of the chain, in id order."""

    async def of_chains(self, chain_ids: Collection[str]) -> list[NodeLink]:
        """The links of every node of these chains, in id order."""

    async def covering_links(self, chain_ids: Collection[str]) -> list[CoveringLink]:
        """For each node of these chains linked to an active enterprise, one such link (no order)."""


class TargetRepositoryPort(Repository[Target], Protocol):
    """招商目标."""

    async def of_chains(self, chain_ids: Collection[str]) -> list[Target]:
        """The targets of these chains with their stage histories, in id order."""

    async def tracks_of_chains(self, chain_ids: Collection[str]) -> list[TargetTrack]:
        """The targets of these chains as the pipeline counts them (chain, stage, stages entered)."""

    async def pipeline_counts(
        self, chain_ids: Collection[str] | None, years: range, *, until: date
    ) -> PipelineCounts:
        """`yardstick.pipeline_counts` of these chains' targets (None: every chain's), counted by the store
        without reading them."""

    async def on_node(self, node_id: str) -> list[Target]:
        """The targets placed on the node."""

    async def page_of_chain(
        self, chain_id: str, *, stage: str | None, after: str | None, limit: int
    ) -> list[Target]: ...


class EnterpriseFactReaderPort(Protocol):
    """What the chains need of the cultivation registry's enterprises (read only)."""

    async def for_ids(self, ids: Collection[str]) -> list[EnterpriseFact]:
        """The facts of those of `ids` that are registered (unknown ids are left out)."""

    async def exists(self, enterprise_id: str) -> bool: ...


class ChainsUnitOfWork(UnitOfWork, Protocol):
    """The unit of work of the chain handlers."""

    chains: ChainRepositoryPort
    chief_assignments: ChiefAssignmentRepositoryPort
    chain_nodes: NodeRepositoryPort
    node_links: NodeLinkRepositoryPort
    targets: TargetRepositoryPort
    enterprise_facts: EnterpriseFactReaderPort


class ChiefsUnitOfWork(ChainsUnitOfWork, Protocol):
    """Assigning a chief: the chains' repositories and identity's users (the chief must be an active one)."""

    users: UserRepositoryPort


class ProductionRegistry(Protocol):
    """The cultivation registry, as a target reaching production finds (by exact name) or registers its
    enterprise."""

    async def by_name(self, name: str) -> Enterprise | None: ...

    def add(self, entity: Enterprise) -> None: ...


class ProductionUnitOfWork(ChainsUnitOfWork, Protocol):
    """Moving a target: the chains' repositories and the registry's enterprises, in one transaction."""

    enterprises: ProductionRegistry
