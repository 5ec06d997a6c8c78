"""四图 (plan 七(四)1): 产业链图, 技术路线图, 应用领域图, 区域分布图 — the data each map shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from domain.chains.gaps import compute_gaps
from domain.chains.nodes import Node, NodeLink, NodeLinkRole, Stage

UNKNOWN_CLUSTER = "未知"


@dataclass(frozen=True, slots=True)
class EnterpriseFact:
    """企业概况: what the maps need of an enterprise of the cultivation registry (active: status `active`)."""

    id: str
    name: str
    cluster: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class MapEnterprise:
    """An enterprise on a node; an inactive one is shown but covers nothing."""

    id: str
    name: str
    role: NodeLinkRole
    cluster: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class MapNode:
    """A node of the 产业链图 with its gap flag and enterprises (leaders first, then by name)."""

    id: str
    name: str
    stage: Stage
    parent_id: str | None
    gap: bool
    enterprises: tuple[MapEnterprise, ...]


@dataclass(frozen=True, slots=True)
class ChainMap:
    """产业链图: nodes in the order given, gaps (node ids) and coverage (float, see GapReport)."""

    coverage: float
    gaps: tuple[str, ...]
    nodes: tuple[MapNode, ...]


@dataclass(frozen=True, slots=True)
class RoadmapNode:
    """A node of the 技术路线图 with its depth in the tree (a root is 0)."""

    id: str
    name: str
    parent_id: str | None
    depth: int


@dataclass(frozen=True, slots=True)
class RoadmapStage:
    """One column of the 技术路线图: a stage and its nodes in tree (pre-)order."""

    stage: Stage
    nodes: tuple[RoadmapNode, ...]


@dataclass(frozen=True, slots=True)
class ApplicationField:
    """应用领域: a downstream leaf and its enterprises."""

    node_id: str
    name: str
    gap: bool
    enterprises: tuple[MapEnterprise, ...]


@dataclass(frozen=True, slots=True)
class ClusterCount:
    """区域分布: the chain's active enterprises in one cluster (组团); cluster None is shown as 未知."""

    cluster: str | None
    label: str
    count: int
    enterprise_ids: tuple[str, ...]


def chain_map(
    nodes: Iterable[Node], links: Iterable[NodeLink], enterprises: Iterable[EnterpriseFact]
) -> ChainMap:
    """产业链图: every node with its stage, parent, gap flag and linked enterprises; coverage and gaps."""
    nodes, links, facts = list(nodes), list(links), list(enterprises)
    report = compute_gaps(nodes, links, {f.id for f in facts if f.active})
    gaps = set(report.gap_ids)
    on_node = _enterprises_by_node(nodes, links, facts)
    return ChainMap(
        coverage=report.coverage,
        gaps=report.gap_ids,
        nodes=tuple(
            MapNode(n.id, n.name, n.stage, n.parent_id, n.id in gaps, on_node.get(n.id, ())) for n in nodes
        ),
    )


def technology_roadmap(nodes: Iterable[Node]) -> tuple[RoadmapStage, ...]:
    """技术路线图: the nodes grouped upstream → midstream → downstream (all three present), with depth."""
    ordered = _preorder(list(nodes))
    return tuple(
        RoadmapStage(
            stage, tuple(RoadmapNode(n.id, n.name, n.parent_id, d) for n, d in ordered if n.stage == stage)
        )
        for stage in Stage
    )


def application_fields(
    nodes: Iterable[Node], links: Iterable[NodeLink], enterprises: Iterable[EnterpriseFact]
) -> tuple[ApplicationField, ...]:
    """应用领域图: the downstream leaves, in the nodes' order, with their enterprises and gap flag."""
    nodes, links, facts = list(nodes), list(links), list(enterprises)
    report = compute_gaps(nodes, links, {f.id for f in facts if f.active})
    leaves, gaps = set(report.leaf_ids), set(report.gap_ids)
    on_node = _enterprises_by_node(nodes, links, facts)
    return tuple(
        ApplicationField(n.id, n.name, n.id in gaps, on_node.get(n.id, ()))
        for n in nodes
        if n.id in leaves and n.stage == Stage.DOWNSTREAM
    )


def cluster_distribution(
    nodes: Iterable[Node], links: Iterable[NodeLink], enterprises: Iterable[EnterpriseFact]
) -> tuple[ClusterCount, ...]:
    """区域分布图: the chain's active enterprises, each once, counted by cluster; most first, 未知 last."""
    node_ids = {n.id for n in nodes}
    linked = {link.enterprise_id for link in links if link.node_id in node_ids}
    by_cluster: dict[str | None, list[str]] = defaultdict(list)
    for fact in enterprises:
        if fact.active and fact.id in linked:
            by_cluster[fact.cluster].append(fact.id)
    counts = [
        ClusterCount(cluster, cluster or UNKNOWN_CLUSTER, len(ids), tuple(sorted(ids)))
        for cluster, ids in by_cluster.items()
    ]
    return tuple(sorted(counts, key=lambda c: (c.cluster is None, -c.count, c.label)))


def _enterprises_by_node(
    nodes: list[Node], links: list[NodeLink], facts: list[EnterpriseFact]
) -> dict[str, tuple[MapEnterprise, ...]]:
    # Links to enterprises the caller gave no fact for are left out: the map cannot name them.
    node_ids = {n.id for n in nodes}
    by_id = {f.id: f for f in facts}
    grouped: dict[str, list[MapEnterprise]] = defaultdict(list)
    for link in links:
        fact = by_id.get(link.enterprise_id)
        if link.node_id in node_ids and fact is not None:
            grouped[link.node_id].append(
                MapEnterprise(fact.id, fact.name, link.role, fact.cluster, fact.active)
            )
    return {
        node_id: tuple(sorted(items, key=lambda e: (e.role != NodeLinkRole.LEADER, e.name, e.id)))
        for node_id, items in grouped.items()
    }


def _preorder(nodes: list[Node]) -> list[tuple[Node, int]]:
    # Depth-first from the roots, siblings in the order given; a node whose parent is unknown is a root.
    ids = {n.id for n in nodes}
    children: dict[str, list[Node]] = defaultdict(list)
    for n in nodes:
        if n.parent_id is not None and n.parent_id in ids:
            children[n.parent_id].append(n)
    ordered: list[tuple[Node, int]] = []
    seen: set[str] = set()
    stack = [(n, 0) for n in reversed(nodes) if n.parent_id not in ids]
    while stack:
        node, depth = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        ordered.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children[node.id]))
    # Nodes caught in a cycle (only a broken import could make one) still appear, at depth 0.
    ordered.extend((n, 0) for n in nodes if n.id not in seen)
    return ordered
