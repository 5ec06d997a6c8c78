"""环节: the steps of a chain, in a tree, and the enterprises linked to them (龙头/配套)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from domain.chains._checks import KEEP, Keep, parse_slug, required_text
from domain.shared.errors import Duplicate, InvalidValue, NotDeletable, NotFound
from domain.shared.ids import new_id


class Stage(StrEnum):
    """产业链环节位置: 上游, 中游, 下游."""

    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"


class NodeLinkRole(StrEnum):
    """企业在环节中的角色: 龙头 (leader) or 配套 (supporting)."""

    LEADER = "leader"
    SUPPORTING = "supporting"


@dataclass(eq=False)
class Node:
    """环节: a step of a chain; `parent_id` None for a root."""

    chain_id: str
    name: str
    stage: Stage
    parent_id: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.name = _name(self.name)
        self.stage = _stage(self.stage)

    @classmethod
    def create(cls, *, chain_id: str, name: str, stage: Stage | str, parent: Node | None = None) -> Node:
        """Add a node to a chain, under `parent` (which must be of the same chain) or as a root."""
        if parent is not None:
            check_same_chain(chain_id, parent)
        return cls(chain_id=chain_id, name=name, stage=stage, parent_id=parent.id if parent else None)

    def revise(self, *, name: str | Keep = KEEP, stage: Stage | str | Keep = KEEP) -> None:
        """Change the name or the stage (PATCH); moving in the tree is `move_under`."""
        if name is not KEEP:
            self.name = _name(name)
        if stage is not KEEP:
            self.stage = _stage(stage)

    def move_under(self, parent: Node | None, chain_nodes: Mapping[str, Node]) -> None:
        """Give the node a new parent (None: make it a root), refusing another chain or a cycle."""
        if parent is not None:
            check_same_chain(self.chain_id, parent)
            check_no_cycle(self.id, parent.id, chain_nodes)
        self.parent_id = parent.id if parent is not None else None


class NodeFacts(NamedTuple):
    """A node as the coverage and gaps read it: its fields without its rules, read as a plain row where
    every chain's nodes only feed a count (a mapped entity's attribute reads cost several times more)."""

    id: str
    chain_id: str
    name: str
    stage: Stage
    parent_id: str | None


def tree_order(nodes: Iterable[Node]) -> list[Node]:
    """Order a chain's nodes for reading: depth-first from the roots, each parent before its children.

    Siblings go upstream → midstream → downstream, then in the order given (the plan implies no order of
    steps, so this one only makes the map read the same every time). A node whose parent is not among
    `nodes` counts as a root; nodes caught in a cycle (only a broken import could make one) come last.
    """
    nodes = list(nodes)
    rank = {stage: i for i, stage in enumerate(Stage)}
    position = {n.id: i for i, n in enumerate(nodes)}
    ids = set(position)
    children: dict[str | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id if node.parent_id in ids else None, []).append(node)
    ordered: list[Node] = []
    seen: set[str] = set()
    stack = [None]  # None stands for "the roots"
    while stack:
        current = stack.pop()
        if current is not None:
            if current.id in seen:
                continue
            seen.add(current.id)
            ordered.append(current)
        below = children.get(current.id if current is not None else None, [])
        stack.extend(sorted(below, key=lambda n: (rank[n.stage], position[n.id]), reverse=True))
    return ordered + [n for n in nodes if n.id not in seen]


def check_same_chain(chain_id: str, parent: Node) -> None:
    """Refuse a parent from another chain."""
    if parent.chain_id != chain_id:
        raise InvalidValue(
            "the parent node belongs to another chain", "上级环节不属于该产业链", field="parent_id"
        )


def check_no_cycle(node_id: str, parent_id: str | None, chain_nodes: Mapping[str, Node]) -> None:
    """Refuse `parent_id` for `node_id` when the node would become its own ancestor.

    `chain_nodes` are all the nodes of the chain by id; a parent missing from it is refused too.
    """
    if parent_id is None:
        return
    if parent_id not in chain_nodes:
        raise InvalidValue(
            "the parent node is not in this chain", "上级环节不属于该产业链", field="parent_id"
        )
    seen: set[str] = set()
    ancestor: str | None = parent_id
    while ancestor is not None and ancestor not in seen:
        if ancestor == node_id:
            raise InvalidValue(
                "a node cannot be placed under itself or its descendants",
                "环节不能置于自身或其下级环节之下",
                field="parent_id",
            )
        seen.add(ancestor)
        above = chain_nodes.get(ancestor)
        ancestor = above.parent_id if above is not None else None


def check_deletable(node_id: str, nodes: Iterable[Node], links: Iterable[NodeLink]) -> None:
    """Refuse to delete a node that has children or linked enterprises."""
    if any(n.parent_id == node_id for n in nodes):
        raise NotDeletable("the node has child nodes", "该环节下还有下级环节,不能删除")
    if any(link.node_id == node_id for link in links):
        raise NotDeletable("enterprises are linked to the node", "该环节还关联着企业,不能删除")


@dataclass(eq=False)
class NodeLink:
    """环节企业: an enterprise linked to a node as leader (龙头) or supporting (配套)."""

    node_id: str
    enterprise_id: str
    role: NodeLinkRole
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.enterprise_id = required_text(
            self.enterprise_id, field="enterprise_id", en="enterprise_id is required", zh="须指定企业"
        )
        self.role = parse_slug(NodeLinkRole, self.role, field="role", zh_name="企业角色")


def link_enterprise(
    links: Iterable[NodeLink], node_id: str, enterprise_id: str, role: NodeLinkRole | str
) -> NodeLink:
    """Link an enterprise to a node; `links` are the node's existing links. Twice (any role) → Duplicate."""
    if any(link.node_id == node_id and link.enterprise_id == enterprise_id for link in links):
        raise Duplicate("the enterprise is already linked to this node", "该企业已关联到此环节")
    return NodeLink(node_id=node_id, enterprise_id=enterprise_id, role=role)


def find_link(links: Iterable[NodeLink], node_id: str, enterprise_id: str) -> NodeLink:
    """Return the link of the enterprise to the node (to unlink it); NotFound when there is none."""
    for link in links:
        if link.node_id == node_id and link.enterprise_id == enterprise_id:
            return link
    raise NotFound("the enterprise is not linked to this node", "该企业未关联到此环节")


def _name(value: object) -> str:
    return required_text(value, field="name", en="the node needs a name", zh="环节名称不能为空")


def _stage(value: object) -> Stage:
    return parse_slug(Stage, value, field="stage", zh_name="环节位置")
