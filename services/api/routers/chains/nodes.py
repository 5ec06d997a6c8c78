"""环节: a chain's tree of nodes and the enterprises linked to them (龙头/配套)."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from domain.chains.handlers import nodes
from domain.identity.policy import Action
from services.api.deps import UowDep
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.chains import LinkIn, LinkOut, NodeIn, NodeOut, NodePatch
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1/chains/{chain_id}/nodes", tags=["chains"])
Write = requires(Action.CHAIN_WRITE)


@router.get("", response_model=Page[Item(NodeOut)])
async def list_nodes(chain_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """List the chain's nodes in creation order (the map shows them with gaps and enterprises)."""
    filters = {"chain_id": chain_id}
    rows = await nodes.list_nodes(chain_id, after=page.after_key(filters), limit=page.limit, uow=uow)
    return page.page(rows, listed(NodeOut, rows), key=lambda n: [n.id], filters=filters)


@router.post("", status_code=201, response_model=NodeOut)
async def create_node(chain_id: str, body: NodeIn, response: Response, principal: Write, uow: UowDep):
    """Add a node, as a root or under a node of this chain."""
    node = await nodes.create_node(
        chain_id, body.model_dump(), principal=principal, uow=uow, today=uow.clock.today()
    )
    return single(response, NodeOut, node)


@router.get("/{node_id}", response_model=NodeOut)
async def get_node(chain_id: str, node_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one node."""
    return single(response, NodeOut, await nodes.get_node(chain_id, node_id, uow=uow))


@router.patch("/{node_id}", response_model=NodeOut)
async def patch_node(
    chain_id: str,
    node_id: str,
    body: NodePatch,
    if_match: IfMatch,
    response: Response,
    principal: Write,
    uow: UowDep,
):
    """Rename, restage or move a node (If-Match required); a parent of another chain or a cycle is 422."""
    node = await nodes.update_node(
        chain_id,
        node_id,
        body.model_dump(exclude_unset=True),
        principal=principal,
        uow=uow,
        today=uow.clock.today(),
        expect=if_match.against(partial(represent, NodeOut)),
    )
    return single(response, NodeOut, node)


@router.delete("/{node_id}", status_code=204, response_class=Response)
async def delete_node(chain_id: str, node_id: str, if_match: IfMatch, principal: Write, uow: UowDep):
    """Delete a node (If-Match required); 409 while it has children, linked enterprises or targets."""
    await nodes.delete_node(
        chain_id,
        node_id,
        principal=principal,
        uow=uow,
        today=uow.clock.today(),
        expect=if_match.against(partial(represent, NodeOut)),
    )
    return Response(status_code=204)


@router.post("/{node_id}/enterprises", status_code=201, response_model=LinkOut)
async def link_enterprise(
    chain_id: str,
    node_id: str,
    body: LinkIn,
    response: Response,
    principal: Write,
    uow: UowDep,
):
    """Link a registered enterprise to the node as leader or supporting (twice: 409)."""
    link = await nodes.link(
        chain_id, node_id, body.model_dump(), principal=principal, uow=uow, today=uow.clock.today()
    )
    return single(response, LinkOut, link)


@router.delete("/{node_id}/enterprises/{enterprise_id}", status_code=204, response_class=Response)
async def unlink_enterprise(chain_id: str, node_id: str, enterprise_id: str, principal: Write, uow: UowDep):
    """Remove the enterprise's link to the node (no If-Match: a relationship, not a resource)."""
    await nodes.unlink(
        chain_id, node_id, enterprise_id, principal=principal, uow=uow, today=uow.clock.today()
    )
    return Response(status_code=204)
