"""Sign-in sessions (登录会话) and their refresh tokens: rotated on use, reuse revokes the whole family."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.shared.errors import DomainError
from domain.shared.ids import new_id


class AuthError(DomainError):
    """An OAuth2 token request refused (RFC 6749 §5.2): `invalid_grant` 400, `invalid_client` 401 …"""

    rule = "oauth"

    def __init__(self, oauth_error: str, en: str, zh: str, *, reason: str | None = None) -> None:
        super().__init__(en, zh)
        self.oauth_error = oauth_error
        self.reason = reason  # what the audit log says (never the caller: the answer stays the same)


class LoginLocked(DomainError):
    """Too many failed passwords for this username, or from this address: wait `retry_after` seconds (429)."""

    rule = "login-locked"

    def __init__(self, retry_after: int, *, by_address: bool = False) -> None:
        if by_address:
            en = f"too many failed sign-ins from this address; try again in {retry_after} seconds"
            zh = f"该地址登录失败次数过多,请{retry_after}秒后再试"
        else:
            en = f"too many failed sign-ins for this username; try again in {retry_after} seconds"
            zh = f"该用户名登录失败次数过多,请{retry_after}秒后再试"
        super().__init__(en, zh)
        self.retry_after = retry_after


def invalid_grant(reason: str | None = None) -> AuthError:
    # One message for a wrong password and an unknown username: nothing reveals which usernames exist.
    return AuthError("invalid_grant", "the credentials are not valid", "用户名或口令不正确", reason=reason)


@dataclass(eq=False)
class AuthSession:
    """One sign-in: access tokens name it, refresh tokens belong to it; revoking it ends them all."""

    user_id: str
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    id: str = field(default_factory=new_id)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, at: datetime, reason: str) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoked_reason = at, reason


@dataclass(eq=False)
class ClientToken:
    """One access token given to a city-system client (its `sid`): revoking it, rotating the client's
    secret or deleting the client ends it at once, not when it expires."""

    client_id: str
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    id: str = field(default_factory=new_id)

    def revoke(self, at: datetime, reason: str) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoked_reason = at, reason


@dataclass(eq=False)
class RefreshToken:
    """A refresh token, known only by its hash; usable once."""

    token_hash: str
    session_id: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


def use_refresh_token(token: RefreshToken | None, session: AuthSession | None, now: datetime) -> None:
    """Spend a refresh token; a second use is theft or a replay, and revokes the session (the family)."""
    if token is None or session is None:
        raise invalid_grant("unknown_token")
    if not session.active:
        raise invalid_grant("session_revoked")
    if token.used_at is not None:
        session.revoke(now, "refresh_token_reused")
        raise AuthError(
            "invalid_grant", "the refresh token was already used", "刷新令牌已被使用", reason="reused"
        )
    if now >= token.expires_at:
        raise AuthError("invalid_grant", "the refresh token has expired", "刷新令牌已过期", reason="expired")
    token.used_at = now


def refresh_expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)
