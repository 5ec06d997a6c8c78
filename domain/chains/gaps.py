"""缺失环节 (补链): leaves without an active enterprise, the chain's coverage, and how gaps change."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from domain.chains.nodes import Node

# Coverage is a ratio the API shows as a number: a float rounded to this many decimals (2/3 → 0.6667).
COVERAGE_DECIMALS = 4


class Linked(Protocol):
    """What coverage reads of a link: a `NodeLink` or a `CoveringLink`."""

    @property
    def node_id(self) -> str: ...

    @property
    def enterprise_id(self) -> str: ...


class CoveringLink(NamedTuple):
    """A link as the coverage of many chains reads it: one active enterprise linked to a node of a chain
    (the coverage of every chain needs one a node, not the ten thousand links)."""

    chain_id: str
    node_id: str
    enterprise_id: str


@dataclass(frozen=True, slots=True)
class GapReport:
    """补链清单: a chain's nodes, its leaves and the leaves that are gaps, each in the nodes' order."""

    node_ids: tuple[str, ...]
    leaf_ids: tuple[str, ...]
    gap_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        # A gap is a leaf and a leaf a node: a report breaking that is a programming error.
        if not set(self.gap_ids) <= set(self.leaf_ids) <= set(self.node_ids):
            raise ValueError("gaps must be leaves and leaves must be nodes")

    @property
    def covered(self) -> int:
        """Leaves with at least one linked active enterprise."""
        return len(self.leaf_ids) - len(self.gap_ids)

    @property
    def coverage(self) -> float:
        """覆盖率 = covered leaves / leaves, a float rounded to 4 decimals; 0.0 without leaves."""
        if not self.leaf_ids:
            return 0.0
        return round(self.covered / len(self.leaf_ids), COVERAGE_DECIMALS)


@dataclass(frozen=True, slots=True)
class GapChanges:
    """补链变化: node ids whose gap opened or closed between two reports.

    `removed` ⊆ `closed`: gaps that closed because their node was deleted, not filled.
    """

    opened: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.opened or self.closed)


def leaf_ids(nodes: Iterable[Node]) -> tuple[str, ...]:
    """Return the ids of the nodes that have no child, in the nodes' order."""
    nodes = list(nodes)
    parents = {n.parent_id for n in nodes if n.parent_id is not None}
    return tuple(n.id for n in nodes if n.id not in parents)


def compute_gaps(
    nodes: Iterable[Node], links: Iterable[Linked], active_enterprise_ids: Collection[str]
) -> GapReport:
    """Find the gaps of a chain: leaves with no linked enterprise whose status is `active`.

    `nodes` are all the chain's nodes; links of other nodes are ignored. An enterprise that moved out
    or was deregistered covers nothing; links on inner nodes never cover a leaf.
    """
    nodes = list(nodes)
    covered = {link.node_id for link in links if link.enterprise_id in active_enterprise_ids}
    leaves = leaf_ids(nodes)
    return GapReport(
        node_ids=tuple(n.id for n in nodes),
        leaf_ids=leaves,
        gap_ids=tuple(leaf for leaf in leaves if leaf not in covered),
    )


def gap_changes(before: GapReport, after: GapReport) -> GapChanges:
    """Compare the reports taken before and after a change, for `chain.node_gap_opened/closed` events.

    Any change may move gaps: a link added or removed, a node added (its parent stops being a leaf),
    moved or deleted, an enterprise's status changed, a target reaching production.
    """
    was, now, present = set(before.gap_ids), set(after.gap_ids), set(after.node_ids)
    closed = tuple(g for g in before.gap_ids if g not in now)
    return GapChanges(
        opened=tuple(g for g in after.gap_ids if g not in was),
        closed=closed,
        removed=tuple(g for g in closed if g not in present),
    )
