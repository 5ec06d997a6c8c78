"""The signed-in person (我的): who am I, and changing my own password."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from domain.identity.handlers import accounts
from domain.identity.policy import Action
from domain.identity.throttle import ThrottlePolicy
from services.api.deps import UowDep
from services.api.representation import single
from services.api.schemas.identity import MeOut, PasswordChange
from services.api.security import requires

router = APIRouter(prefix="/api/v1/me", tags=["identity"])
Me = requires(Action.OWN_ACCOUNT)


@router.get("", response_model=MeOut)
async def me(response: Response, uow: UowDep, principal: Me):
    """Read my own account, roles and department."""
    return single(response, MeOut, await accounts.get_user(principal.id, uow=uow))


@router.post("/password", response_model=MeOut)
async def change_password(
    body: PasswordChange, request: Request, response: Response, uow: UowDep, principal: Me
):
    """Change my password (the way out of a temporary one); my other sessions end. A wrong current
    password counts toward my username's lockout (429 with Retry-After while it lasts)."""
    settings = request.app.state.settings
    user = await accounts.change_own_password(
        principal,
        body.current_password.get_secret_value(),
        body.new_password.get_secret_value(),
        uow=uow,
        hasher=request.app.state.hasher,
        now=uow.clock.now(),
        throttle_policy=ThrottlePolicy(settings.login_lock_failures, settings.login_lock_minutes),
    )
    return single(response, MeOut, user)
