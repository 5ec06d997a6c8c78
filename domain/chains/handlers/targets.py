"""招商目标: courting companies for a chain's nodes; reaching production registers or links the enterprise."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.chains.handlers.common import get_chain, load_state, missing, writable_chain
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, NodeLinkRole, link_enterprise
from domain.chains.ports import ChainsUnitOfWork, ProductionUnitOfWork
from domain.chains.targets import EnterpriseNeeded, Target
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.identity.policy import Principal
from domain.shared.errors import InvalidValue
from domain.shared.uow import Expectation, no_expectation

EDITABLE = ("company_name", "planned_investment", "contact", "note")


async def list_targets(
    chain_id: str, stage: str | None, *, after: str | None, limit: int, uow: ChainsUnitOfWork
) -> list[Target]:
    """A keyset page of the chain's targets (in one stage when given), in creation order: limit + 1."""
    chain = await get_chain(chain_id, uow=uow)
    return await uow.targets.page_of_chain(chain.id, stage=stage, after=after, limit=limit)


async def get_target(target_id: str, *, uow: ChainsUnitOfWork) -> Target:
    target = await uow.targets.get(target_id)
    if target is None:
        raise missing("target", "招商目标", target_id)
    return target


async def _writable_target(
    target_id: str, *, principal: Principal, uow: ChainsUnitOfWork, today: date
) -> Target:
    """The target, once the principal may write its chain."""
    target = await get_target(target_id, uow=uow)
    await writable_chain(target.chain_id, principal=principal, uow=uow, today=today)
    return target


async def create_target(
    chain_id: str, data: dict[str, Any], *, principal: Principal, uow: ChainsUnitOfWork, today: date
) -> Target:
    """Open a target at `lead` on `stage_date` (today when not given), on a node of the chain or none yet."""
    chain = await writable_chain(chain_id, principal=principal, uow=uow, today=today)
    node = await _node(data.get("node_id"), uow=uow)
    target = Target.create(
        chain_id=chain.id,
        company_name=data.get("company_name"),
        on=data.get("stage_date") or today,
        node=node,
        **{key: data[key] for key in EDITABLE[1:] if key in data},
    )
    uow.targets.add(target)
    await uow.commit()
    return target


async def update_target(
    target_id: str,
    changes: dict[str, Any],
    *,
    principal: Principal,
    uow: ChainsUnitOfWork,
    today: date,
    expect: Expectation = no_expectation,
) -> Target:
    """Change the fields given or the node (the stage moves with `move_target`)."""
    target = await _writable_target(target_id, principal=principal, uow=uow, today=today)
    expect(target)
    target.revise(**{key: changes[key] for key in EDITABLE if key in changes})
    if "node_id" in changes:
        target.place_on(await _node(changes["node_id"], uow=uow))
    await uow.commit()
    return target


async def move_target(
    target_id: str,
    stage: str,
    on: date,
    note: str | None = None,
    *,
    principal: Principal,
    uow: ProductionUnitOfWork,
    today: date,
) -> Target:
    """Move the target forward (or drop it); at `in_production` its company joins the registry and its node.

    All in one transaction: the stage, the enterprise (found by exact name or registered), the link and
    the gap that closes — with `target.stage_changed`, `enterprise.registered` and `chain.node_gap_closed`.
    """
    target = await _writable_target(target_id, principal=principal, uow=uow, today=today)
    needed = target.move_to(stage, on, note)
    if needed is not None:
        target.enterprise_id = await _into_production(needed, uow=uow)
    await uow.commit()
    return target


async def _into_production(needed: EnterpriseNeeded, *, uow: ProductionUnitOfWork) -> str:
    """The enterprise's id, found by exact name or registered, linked to the target's node if it has one."""
    enterprise = await uow.enterprises.by_name(needed.company_name)
    if enterprise is None:
        enterprise = Enterprise.register(needed.company_name)
        uow.enterprises.add(enterprise)
        await uow.flush()  # the new enterprise first: the target and the link refer to it
    if needed.node_id is None:
        return enterprise.id
    state = await load_state(await get_chain(needed.chain_id, uow=uow), uow=uow)
    node = state.node(needed.node_id)
    if any(link.node_id == node.id and link.enterprise_id == enterprise.id for link in state.links):
        return enterprise.id
    before = state.gaps()
    # A company the zone courted into a step supports it; whether it leads is for the chief to say.
    new = link_enterprise(state.links, node.id, enterprise.id, NodeLinkRole.SUPPORTING)
    uow.node_links.add(new)
    active = enterprise.status == EnterpriseStatus.ACTIVE
    state.add_link(new, EnterpriseFact(enterprise.id, enterprise.name, enterprise.cluster, active))
    state.record_gap_changes(before)
    return enterprise.id


async def _node(node_id: str | None, *, uow: ChainsUnitOfWork) -> Node | None:
    if node_id is None:
        return None
    node = await uow.chain_nodes.get(node_id)
    if node is None:
        raise InvalidValue(f"no node {node_id}", f"环节 {node_id} 不存在", field="node_id")
    return node
