"""Users (用户): people with roles; admin only."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response

from domain.identity.handlers import accounts
from domain.identity.policy import Action
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.identity import UserIn, UserOut, UserPatch
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/users", tags=["identity"])


def _unwrap(data: dict) -> dict:
    """Secrets arrive wrapped (SecretStr) so that they never print; unwrap them for the handler."""
    return {k: (v.get_secret_value() if hasattr(v, "get_secret_value") else v) for k, v in data.items()}


@router.get("", response_model=Page[Item(UserOut)])
async def list_users(page: PageDep, uow: unit_for(Action.USER_MANAGE)):
    """List users."""
    rows = await accounts.users_page(after=page.after_key({}), limit=page.limit, uow=uow)
    return page.page(rows, listed(UserOut, rows), key=lambda u: [u.id], filters={})


@router.post("", status_code=201, response_model=UserOut)
async def create_user(body: UserIn, request: Request, response: Response, uow: unit_for(Action.USER_MANAGE)):
    """Add a user; the password must meet the policy and is never returned."""
    data = _unwrap(body.model_dump())
    user = await accounts.create_user(data, uow=uow, hasher=request.app.state.hasher, now=uow.clock.now())
    return single(response, UserOut, user)


@router.get("/{user_id}", response_model=UserOut)
async def get_user(user_id: str, response: Response, uow: unit_for(Action.USER_MANAGE)):
    """Read one user."""
    return single(response, UserOut, await accounts.get_user(user_id, uow=uow))


@router.patch("/{user_id}", response_model=UserOut)
async def patch_user(
    user_id: str,
    body: UserPatch,
    request: Request,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.USER_MANAGE),
):
    """Change roles, department, name or `active`, or reset the password (If-Match required)."""
    user = await accounts.update_user(
        user_id,
        _unwrap(body.model_dump(exclude_unset=True)),
        uow=uow,
        hasher=request.app.state.hasher,
        now=uow.clock.now(),
        expect=if_match.against(partial(represent, UserOut)),
    )
    return single(response, UserOut, user)
