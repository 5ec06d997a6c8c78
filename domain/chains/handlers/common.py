"""Shared by the chain handlers: finding a chain, who may write it today, and its gap state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment, active_chief
from domain.chains.gaps import GapReport, compute_gaps, gap_changes
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeLink
from domain.chains.ports import ChainsUnitOfWork
from domain.identity.policy import Action, Principal, ResourceFacts, authorize
from domain.shared.errors import NotFound


def missing(kind_en: str, kind_zh: str, ident: str) -> NotFound:
    return NotFound(f"no {kind_en} {ident}", f"{kind_zh} {ident} 不存在")


async def get_chain(chain_id: str, *, uow: ChainsUnitOfWork) -> Chain:
    chain = await uow.chains.get(chain_id)
    if chain is None:
        raise missing("chain", "产业链", chain_id)
    return chain


async def chief_on(chain_id: str | None, *, uow: ChainsUnitOfWork, today: date) -> ChiefAssignment | None:
    """The assignment covering `today` (chain_id None: the general chief), None when nobody is chief."""
    return active_chief(await uow.chief_assignments.history(chain_id), today)


async def authorize_chain_write(
    principal: Principal, chain_id: str, *, uow: ChainsUnitOfWork, today: date
) -> None:
    """`chain.write` against the chain: a chain chief's right comes from the assignment covering today."""
    chief = await chief_on(chain_id, uow=uow, today=today)
    facts = ResourceFacts(chain_chief_user_id=chief.user_id if chief is not None else None)
    authorize(principal, Action.CHAIN_WRITE, facts)


async def writable_chain(chain_id: str, *, principal: Principal, uow: ChainsUnitOfWork, today: date) -> Chain:
    """The chain, once the principal is allowed to write it (404 before 403: the chain must exist)."""
    chain = await get_chain(chain_id, uow=uow)
    await authorize_chain_write(principal, chain.id, uow=uow, today=today)
    return chain


@dataclass
class ChainState:
    """A chain with its whole tree, links and the facts of the linked enterprises, to diff its gaps."""

    chain: Chain
    nodes: list[Node]
    links: list[NodeLink]
    facts: dict[str, EnterpriseFact]

    def gaps(self) -> GapReport:
        return compute_gaps(self.nodes, self.links, {f.id for f in self.facts.values() if f.active})

    def node(self, node_id: str) -> Node:
        """A node of this chain; NotFound for any other id (also a node of another chain)."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise missing("node", "环节", node_id)

    def add_link(self, link: NodeLink, fact: EnterpriseFact) -> None:
        """Count a new link (already added to the unit of work) in the state."""
        self.links.append(link)
        self.facts[fact.id] = fact

    def record_gap_changes(self, before: GapReport) -> None:
        """Record `chain.node_gap_opened/closed` for what changed since `before`."""
        self.chain.record_gap_changes(gap_changes(before, self.gaps()))


async def load_state(chain: Chain, *, uow: ChainsUnitOfWork) -> ChainState:
    """The chain's tree, links and enterprise facts in three queries."""
    nodes = await uow.chain_nodes.of_chain(chain.id)
    links = await uow.node_links.of_chain(chain.id)
    facts = await uow.enterprise_facts.for_ids({link.enterprise_id for link in links})
    return ChainState(chain, nodes, links, {f.id: f for f in facts})
