"""Tokens (令牌): OAuth2 password, client-credentials and refresh grants; revocation (RFC 7009)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from domain.identity.handlers import auth
from domain.identity.sessions import AuthError
from domain.identity.throttle import SourcePolicy, ThrottlePolicy
from domain.shared.networks import parse_networks
from services.api.deps import UowDep, source_address
from services.api.schemas.base import NoNul
from services.api.schemas.identity import TokenOut
from services.api.security import PUBLIC

router = APIRouter(prefix="/api/v1/auth", tags=["identity"], dependencies=[Depends(PUBLIC)])


def _basic_credentials(request: Request) -> tuple[str | None, str | None]:
    """Client credentials from HTTP Basic (RFC 6749 §2.3.1), when sent that way."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        client_id, _, secret = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise AuthError("invalid_client", "malformed Basic credentials", "Basic 凭据格式错误") from exc
    return client_id, secret


def _source_policy(settings) -> SourcePolicy:
    trusted = parse_networks(settings.login_trusted_networks)
    return SourcePolicy(settings.login_source_failures, settings.login_lock_minutes, trusted)


def _required(value: str | None, name: str) -> str:
    if not value:
        raise AuthError("invalid_request", f"`{name}` is required for this grant", f"该授权方式需要 `{name}`")
    return value


@router.post("/token", response_model=TokenOut, response_model_exclude_none=True)
async def issue_token(
    request: Request,
    response: Response,
    uow: UowDep,
    grant_type: Annotated[str, Form(), NoNul],
    username: Annotated[str | None, Form(), NoNul] = None,
    password: Annotated[str | None, Form(), NoNul] = None,
    client_id: Annotated[str | None, Form(), NoNul] = None,
    client_secret: Annotated[str | None, Form(), NoNul] = None,
    refresh_token: Annotated[str | None, Form(), NoNul] = None,
    scope: Annotated[str | None, Form(), NoNul] = None,
):
    """Issue an access token for a person (password), a city system (client_credentials) or a refresh."""
    state, settings, now = request.app.state, request.app.state.settings, uow.clock.now()
    response.headers["Cache-Control"] = "no-store"
    source, source_policy = source_address(request), _source_policy(settings)
    if grant_type == "password":
        grant = await auth.password_grant(
            _required(username, "username"),
            _required(password, "password"),
            uow=uow,
            hasher=state.hasher,
            signer=state.token_signer,
            now=now,
            refresh_days=settings.refresh_token_days,
            throttle_policy=ThrottlePolicy(settings.login_lock_failures, settings.login_lock_minutes),
            source=source,
            source_policy=source_policy,
        )
    elif grant_type == "client_credentials":
        basic_id, basic_secret = _basic_credentials(request)
        grant = await auth.client_credentials_grant(
            _required(client_id or basic_id, "client_id"),
            _required(client_secret or basic_secret, "client_secret"),
            uow=uow,
            hasher=state.hasher,
            signer=state.token_signer,
            now=now,
            source=source,
            source_policy=source_policy,
        )
    elif grant_type == "refresh_token":
        grant = await auth.refresh_grant(
            _required(refresh_token, "refresh_token"),
            uow=uow,
            signer=state.token_signer,
            now=now,
            refresh_days=settings.refresh_token_days,
        )
    else:
        raise AuthError(
            "unsupported_grant_type",
            f"grant type {grant_type!r} is not supported",
            f"不支持的授权方式 {grant_type!r}",
        )
    return TokenOut(
        access_token=grant.access_token, expires_in=grant.expires_in, refresh_token=grant.refresh_token
    )


@router.post("/revoke", status_code=200)
async def revoke(
    request: Request,
    uow: UowDep,
    token: Annotated[str, Form(), NoNul],
    token_type_hint: Annotated[str | None, Form(), NoNul] = None,
) -> dict:
    """Log out: end the session of a refresh or access token (unknown tokens answer 200 too)."""
    await auth.revoke_token(token, uow=uow, signer=request.app.state.token_signer, now=uow.clock.now())
    return {}
