"""四图 and 招商考核: a chain's maps and the per-chain statistics, each from a few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from domain.chains.chains import Chain
from domain.chains.gaps import CoveringLink, compute_gaps
from domain.chains.handlers.common import get_chain, load_state
from domain.chains.maps import (
    ApplicationField,
    ChainMap,
    ClusterCount,
    RoadmapStage,
    application_fields,
    chain_map,
    cluster_distribution,
    technology_roadmap,
)
from domain.chains.nodes import NodeFacts, tree_order
from domain.chains.ports import ChainsUnitOfWork
from domain.chains.yardstick import entered_by_chain


@dataclass(frozen=True)
class ChainMaps:
    """The four maps of one chain (四图): the 产业链图 and its three views."""

    chain: Chain
    map: ChainMap
    technology_roadmap: tuple[RoadmapStage, ...]
    application_fields: tuple[ApplicationField, ...]
    cluster_distribution: tuple[ClusterCount, ...]


@dataclass(frozen=True)
class ChainStats:
    """One chain's line of the statistics: coverage, open gaps, targets entering each stage in a year."""

    chain_id: str
    name: str
    coverage: float
    gaps: int
    entered: dict[str, int]


async def chain_maps(chain_id: str, *, uow: ChainsUnitOfWork) -> ChainMaps:
    """Build the four maps of a chain from its tree, links and enterprises (three queries).

    Nodes come in tree order (parents first, siblings upstream → downstream), and so do the gaps.
    """
    state = await load_state(await get_chain(chain_id, uow=uow), uow=uow)
    nodes, facts = tree_order(state.nodes), list(state.facts.values())
    return ChainMaps(
        chain=state.chain,
        map=chain_map(nodes, state.links, facts),
        technology_roadmap=technology_roadmap(nodes),
        application_fields=application_fields(nodes, state.links, facts),
        cluster_distribution=cluster_distribution(nodes, state.links, facts),
    )


async def stats_page(year: int, *, after: str | None, limit: int, uow: ChainsUnitOfWork) -> list[ChainStats]:
    """招商考核 of a keyset page of chains in creation order (limit + 1 of them) for `year`."""
    return await chain_stats(await uow.chains.list_page(after=after, limit=limit), year=year, uow=uow)


async def chain_stats(
    chains: list[Chain], *, year: int, uow: ChainsUnitOfWork, until: date | None = None
) -> list[ChainStats]:
    """Coverage, gap count and the yardstick (plan 七(四)2) of each chain (targets entering a stage in `year`,
    up to the day `until` if given), in five queries."""
    ids = [c.id for c in chains]
    if not ids:
        return []
    nodes, links, active = await coverage_facts(ids, uow=uow)
    entered = entered_by_chain(await uow.targets.tracks_of_chains(ids), chain_ids=ids, year=year, until=until)
    result = []
    for chain in chains:
        report = compute_gaps(nodes[chain.id], links[chain.id], active)
        result.append(
            ChainStats(chain.id, chain.name, report.coverage, len(report.gap_ids), entered[chain.id])
        )
    return result


async def coverage_facts(
    chain_ids: list[str], *, uow: ChainsUnitOfWork
) -> tuple[dict[str, list[NodeFacts]], dict[str, list[CoveringLink]], set[str]]:
    """What a chain's coverage and gaps are computed from, for many chains in two queries: the nodes of each
    chain, and for each node linked to an active enterprise one such link and its enterprise (active)."""
    nodes: dict[str, list[NodeFacts]] = defaultdict(list)
    links: dict[str, list[CoveringLink]] = defaultdict(list)
    if not chain_ids:
        return nodes, links, set()
    for node in await uow.chain_nodes.facts_of_chains(chain_ids):
        nodes[node.chain_id].append(node)
    active = set()
    for link in await uow.node_links.covering_links(chain_ids):
        links[link.chain_id].append(link)
        active.add(link.enterprise_id)
    return nodes, links, active
