"""City-system clients (对接系统): client credentials with scopes; admin only."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response

from domain.identity.handlers import accounts
from domain.identity.policy import Action
from services.api.etag import IfMatch, etag_of
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.identity import ClientIn, ClientOut, ClientWithSecret
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/clients", tags=["identity"])


def _with_secret(issued: accounts.IssuedClient) -> dict:
    return {**represent(ClientOut, issued.client), "client_secret": issued.client_secret}


@router.get("", response_model=Page[Item(ClientOut)])
async def list_clients(page: PageDep, uow: unit_for(Action.CLIENT_MANAGE)):
    """List clients (secrets are never shown again)."""
    rows = await accounts.clients_page(after=page.after_key({}), limit=page.limit, uow=uow)
    return page.page(rows, listed(ClientOut, rows), key=lambda c: [c.id], filters={})


@router.post("", status_code=201, response_model=ClientWithSecret)
async def create_client(
    body: ClientIn, request: Request, response: Response, uow: unit_for(Action.CLIENT_MANAGE)
):
    """Register a client; the answer carries `client_secret`, shown this once."""
    issued = await accounts.create_client(
        body.model_dump(), uow=uow, hasher=request.app.state.hasher, now=uow.clock.now()
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["ETag"] = etag_of(represent(ClientOut, issued.client))
    return _with_secret(issued)


@router.get("/{client_id}", response_model=ClientOut)
async def get_client(client_id: str, response: Response, uow: unit_for(Action.CLIENT_MANAGE)):
    """Read one client."""
    return single(response, ClientOut, await accounts.get_client(client_id, uow=uow))


@router.post("/{client_id}/rotate", response_model=ClientWithSecret)
async def rotate_client(
    client_id: str, request: Request, response: Response, uow: unit_for(Action.CLIENT_MANAGE)
):
    """Give the client a new secret (shown once); the old one stops working at once."""
    issued = await accounts.rotate_client_secret(
        client_id, uow=uow, hasher=request.app.state.hasher, now=uow.clock.now()
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["ETag"] = etag_of(represent(ClientOut, issued.client))
    return _with_secret(issued)


@router.delete("/{client_id}", status_code=204, response_class=Response)
async def delete_client(client_id: str, if_match: IfMatch, uow: unit_for(Action.CLIENT_MANAGE)):
    """Revoke a client for good (If-Match required)."""
    await accounts.delete_client(client_id, uow=uow, expect=if_match.against(partial(represent, ClientOut)))
    return Response(status_code=204)
