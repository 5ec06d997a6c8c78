"""环节: the chain's tree of nodes and the enterprises linked to them; every change diffs the gaps."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.chains.handlers.common import get_chain, load_state, missing, writable_chain
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeLink, check_deletable, find_link, link_enterprise
from domain.chains.ports import ChainsUnitOfWork
from domain.chains.targets import check_no_targets
from domain.identity.policy import Principal
from domain.shared.errors import InvalidValue
from domain.shared.uow import Expectation, no_expectation


async def get_node(chain_id: str, node_id: str, *, uow: ChainsUnitOfWork) -> Node:
    """A node of the chain; NotFound when the chain or the node is missing, or the node is another chain's."""
    chain = await get_chain(chain_id, uow=uow)
    node = await uow.chain_nodes.get(node_id)
    if node is None or node.chain_id != chain.id:
        raise missing("node", "环节", node_id)
    return node


async def list_nodes(chain_id: str, *, after: str | None, limit: int, uow: ChainsUnitOfWork) -> list[Node]:
    """A keyset page of the chain's nodes in creation order: limit + 1 of them."""
    chain = await get_chain(chain_id, uow=uow)
    return await uow.chain_nodes.page_of_chain(chain.id, after=after, limit=limit)


async def _writable_node(
    chain_id: str, node_id: str, *, principal: Principal, uow: ChainsUnitOfWork, today: date
) -> Node:
    """The node, once the principal may write its chain (404 before 403)."""
    node = await get_node(chain_id, node_id, uow=uow)
    await writable_chain(chain_id, principal=principal, uow=uow, today=today)
    return node


async def create_node(
    chain_id: str, data: dict[str, Any], *, principal: Principal, uow: ChainsUnitOfWork, today: date
) -> Node:
    """Add a node as a root or under a node of the same chain; its parent stops being a gap."""
    chain = await writable_chain(chain_id, principal=principal, uow=uow, today=today)
    state = await load_state(chain, uow=uow)
    parent = await _parent(data.get("parent_id"), uow=uow)
    before = state.gaps()
    node = Node.create(chain_id=chain.id, name=data.get("name"), stage=data.get("stage"), parent=parent)
    uow.chain_nodes.add(node)
    state.nodes.append(node)
    state.record_gap_changes(before)
    await uow.commit()
    return node


async def update_node(
    chain_id: str,
    node_id: str,
    changes: dict[str, Any],
    *,
    principal: Principal,
    uow: ChainsUnitOfWork,
    today: date,
    expect: Expectation = no_expectation,
) -> Node:
    """Rename, restage or move the node, refusing another chain's parent or a cycle."""
    node = await _writable_node(chain_id, node_id, principal=principal, uow=uow, today=today)
    expect(node)
    state = await load_state(await get_chain(node.chain_id, uow=uow), uow=uow)
    node = state.node(node.id)
    before = state.gaps()
    node.revise(**{key: changes[key] for key in ("name", "stage") if key in changes})
    if "parent_id" in changes:
        parent = await _parent(changes["parent_id"], uow=uow)
        node.move_under(parent, {n.id: n for n in state.nodes})
    state.record_gap_changes(before)
    await uow.commit()
    return node


async def delete_node(
    chain_id: str,
    node_id: str,
    *,
    principal: Principal,
    uow: ChainsUnitOfWork,
    today: date,
    expect: Expectation = no_expectation,
) -> None:
    """Delete a node without children, links or targets; its gap, if any, closes as removed."""
    node = await _writable_node(chain_id, node_id, principal=principal, uow=uow, today=today)
    expect(node)
    state = await load_state(await get_chain(node.chain_id, uow=uow), uow=uow)
    check_deletable(node.id, state.nodes, state.links)
    check_no_targets(node.id, await uow.targets.on_node(node.id))
    before = state.gaps()
    state.nodes.remove(state.node(node.id))
    await uow.chain_nodes.delete(node)
    state.record_gap_changes(before)
    await uow.commit()


async def link(
    chain_id: str,
    node_id: str,
    data: dict[str, Any],
    *,
    principal: Principal,
    uow: ChainsUnitOfWork,
    today: date,
) -> NodeLink:
    """Link a registered enterprise to the node as leader (龙头) or supporting (配套); twice → Duplicate."""
    chain = await writable_chain(chain_id, principal=principal, uow=uow, today=today)
    state = await load_state(chain, uow=uow)
    node = state.node(node_id)
    enterprise_id = data.get("enterprise_id")
    [fact] = await _enterprise(enterprise_id, uow=uow)
    before = state.gaps()
    new = link_enterprise(state.links, node.id, enterprise_id, data.get("role"))
    uow.node_links.add(new)
    state.add_link(new, fact)
    state.record_gap_changes(before)
    await uow.commit()
    return new


async def unlink(
    chain_id: str,
    node_id: str,
    enterprise_id: str,
    *,
    principal: Principal,
    uow: ChainsUnitOfWork,
    today: date,
) -> None:
    """Remove the enterprise's link to the node; the node may become a gap again."""
    chain = await writable_chain(chain_id, principal=principal, uow=uow, today=today)
    state = await load_state(chain, uow=uow)
    node = state.node(node_id)
    existing = find_link(state.links, node.id, enterprise_id)
    before = state.gaps()
    state.links.remove(existing)
    await uow.node_links.delete(existing)
    state.record_gap_changes(before)
    await uow.commit()


async def _enterprise(enterprise_id: object, *, uow: ChainsUnitOfWork) -> list[EnterpriseFact]:
    facts = await uow.enterprise_facts.for_ids([enterprise_id]) if isinstance(enterprise_id, str) else []
    if not facts:
        raise InvalidValue(
            f"no enterprise {enterprise_id}", f"企业 {enterprise_id} 不存在", field="enterprise_id"
        )
    return facts


async def _parent(parent_id: str | None, *, uow: ChainsUnitOfWork) -> Node | None:
    if parent_id is None:
        return None
    parent = await uow.chain_nodes.get(parent_id)
    if parent is None:
        raise InvalidValue(f"no node {parent_id}", f"上级环节 {parent_id} 不存在", field="parent_id")
    return parent
