"""Security events (安全事件) the audit log records beside the changes: sign-ins and their failures,
lockouts, sign-outs, tokens issued to clients. Each entry says the outcome and, when refused, why."""

from __future__ import annotations

from domain.shared.uow import UnitOfWork

LOGIN = "auth.login"  # a person signed in
LOGIN_FAILED = "auth.login_failed"  # wrong password, unknown username, inactive account
LOGIN_REFUSED = "auth.login_refused"  # refused before any password check: username locked, address limited
LOCKOUT = "auth.lockout"  # this failure locked the username
LOGOUT = "auth.logout"  # a sign-in session ended by its token's revocation
REFRESH = "auth.refresh"  # a refresh token swapped for new tokens
REFRESH_FAILED = "auth.refresh_failed"  # unknown, expired or reused (the family is revoked) refresh token
CLIENT_TOKEN = "auth.client_token"  # a city-system client was given an access token
CLIENT_TOKEN_FAILED = "auth.client_token_failed"  # unknown client, inactive client or wrong secret
CLIENT_TOKEN_REVOKED = "auth.client_token_revoked"  # a client's access token revoked (RFC 7009)
PASSWORD_CHANGE_FAILED = "auth.password_change_failed"  # /me/password with a wrong current password

ACTIONS = (
    LOGIN,
    LOGIN_FAILED,
    LOGIN_REFUSED,
    LOCKOUT,
    LOGOUT,
    REFRESH,
    REFRESH_FAILED,
    CLIENT_TOKEN,
    CLIENT_TOKEN_FAILED,
    CLIENT_TOKEN_REVOKED,
    PASSWORD_CHANGE_FAILED,
)

SUCCESS, FAILURE, REFUSED, LOCKED = "success", "failure", "refused", "locked"


def record(
    uow: UnitOfWork,
    action: str,
    resource_type: str,
    resource_id: str | None,
    outcome: str,
    reason: str | None = None,
) -> None:
    """Add the event to the unit of work's audit entries (written at commit, with its actor and source)."""
    details = {"outcome": outcome} | ({"reason": reason} if reason else {})
    uow.audit(action, resource_type, resource_id, **details)
