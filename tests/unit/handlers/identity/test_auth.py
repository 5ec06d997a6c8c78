"""Token grants and revocation through the handlers, in memory: what a grant opens and signs, every refusal
answering alike and committed with its security event, the username and address limits, refresh rotation
and the revoked family, logout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.identity import security_events as events
from domain.identity.handlers import auth
from domain.identity.sessions import AuthError, LoginLocked
from domain.identity.throttle import SourcePolicy, ThrottlePolicy
from domain.shared.networks import parse_networks
from tests.unit.handlers.identity.given import (
    NOW,
    PASSWORD,
    SECRET,
    stored_client,
    stored_client_token,
    stored_session,
    stored_user,
)

LOCK = ThrottlePolicy(max_failures=3, lock_minutes=15)
ADDRESS = SourcePolicy(max_failures=2, window_minutes=15, trusted=parse_networks("10.8.0.0/16"))


def audited(uow) -> list[tuple[str, str | None, str, str | None]]:
    """The security events as the audit log shows them: action, resource, outcome, reason."""
    return [(a["action"], a["resource_id"], a["outcome"], a.get("reason")) for a in uow.audited]


async def sign_in(uow, hasher, signer, username: str, password: str, *, at=NOW, source=None):
    return await auth.password_grant(
        username,
        password,
        uow=uow,
        hasher=hasher,
        signer=signer,
        now=at,
        throttle_policy=LOCK,
        refresh_days=30,
        source=source,
        source_policy=ADDRESS,
    )


# --- the password grant ------------------------------------------------------------------------------


async def test_a_sign_in_opens_a_session_with_a_refresh_token(uow, hasher, signer):
    user = stored_user(uow, "planner1", ["planner"])
    grant = await sign_in(uow, hasher, signer, "planner1", PASSWORD)
    [session] = uow.sessions.items.values()
    [refresh] = uow.refresh_tokens.items.values()
    assert session.user_id == user.id and session.created_at == NOW and session.active
    assert grant.access_token == f"access:user:{session.id}" and grant.expires_in == 900
    assert refresh.token_hash == signer.hash_refresh_token(grant.refresh_token)
    assert refresh.session_id == session.id and refresh.expires_at == NOW + timedelta(days=30)
    assert signer.signed[-1].roles == frozenset({"planner"}) and signer.signed[-1].id == user.id
    assert uow.commits == 1 and uow.actor == "planner1"
    assert audited(uow) == [(events.LOGIN, user.id, events.SUCCESS, None)]


async def test_a_username_in_another_spelling_is_the_same_person(uow, hasher, signer):
    user = stored_user(uow, "admin", ["admin"])
    await sign_in(uow, hasher, signer, "ＡＤＭＩＮ", PASSWORD)
    assert uow.actor == "admin" and audited(uow) == [(events.LOGIN, user.id, events.SUCCESS, None)]


async def test_wrong_password_unknown_and_inactive_users_are_refused_alike_and_counted(uow, hasher, signer):
    known = stored_user(uow, "viewer1", ["viewer"])
    gone = stored_user(uow, "leaver", ["viewer"], active=False)
    refusals = []
    for username, password in (("viewer1", "Wrong-pass1"), ("nobody", "Wrong-pass1"), ("leaver", PASSWORD)):
        with pytest.raises(AuthError) as refused:
            await sign_in(uow, hasher, signer, username, password)
        refusals.append((refused.value.oauth_error, str(refused.value)))
    assert len(set(refusals)) == 1 and refusals[0][0] == "invalid_grant"
    assert hasher.verified == 3  # the same work whether or not the user exists
    assert uow.commits == 3 and not uow.sessions.items
    assert audited(uow) == [
        (events.LOGIN_FAILED, known.id, events.FAILURE, "wrong_password"),
        (events.LOGIN_FAILED, None, events.FAILURE, "unknown_user"),
        (events.LOGIN_FAILED, gone.id, events.FAILURE, "inactive"),
    ]
    assert (await uow.throttle.for_username("nobody")).failures == 1


async def test_failures_lock_the_username_even_for_the_right_password(uow, hasher, signer):
    user = stored_user(uow, "target", ["viewer"])
    for _ in range(3):
        with pytest.raises(AuthError):
            await sign_in(uow, hasher, signer, "target", "Wrong-pass1")
    assert audited(uow)[-2:] == [
        (events.LOGIN_FAILED, user.id, events.FAILURE, "wrong_password"),
        (events.LOCKOUT, user.id, events.LOCKED, "too_many_failures"),
    ]
    checks = hasher.verified
    with pytest.raises(LoginLocked) as locked:
        await sign_in(uow, hasher, signer, "target", PASSWORD, at=NOW + timedelta(minutes=14))
    assert locked.value.retry_after == 60 and hasher.verified == checks
    assert audited(uow)[-1] == (events.LOGIN_REFUSED, None, events.REFUSED, "locked")
    assert uow.commits == 4 and not uow.sessions.items
    await sign_in(uow, hasher, signer, "target", PASSWORD, at=NOW + timedelta(minutes=15))
    assert (await uow.throttle.for_username("target")).failures == 0


async def test_a_success_resets_the_usernames_count(uow, hasher, signer):
    stored_user(uow, "careful", ["viewer"])
    for _ in range(2):
        for _ in range(2):
            with pytest.raises(AuthError):
                await sign_in(uow, hasher, signer, "careful", "Wrong-pass1")
        await sign_in(uow, hasher, signer, "careful", PASSWORD)
    assert len(uow.sessions.items) == 2


async def test_an_address_past_its_limit_is_refused_before_any_hashing(uow, hasher, signer):
    stored_user(uow, "zhou", ["viewer"])
    for name in ("a", "b"):
        with pytest.raises(AuthError):
            await sign_in(uow, hasher, signer, name, "Wrong-pass1", source="198.51.100.23")
    assert (await uow.source_throttle.for_source("198.51.100.23")).failures == 2
    with pytest.raises(LoginLocked) as locked:
        await sign_in(uow, hasher, signer, "zhou", PASSWORD, source="198.51.100.23")
    assert "address" in str(locked.value) and hasher.verified == 2
    assert audited(uow)[-1] == (events.LOGIN_REFUSED, "198.51.100.23", events.REFUSED, "address_limited")
    assert uow.commits == 3
    await sign_in(uow, hasher, signer, "zhou", PASSWORD, source="192.0.2.99")  # another address may


async def test_a_trusted_network_and_an_unknown_address_are_not_limited(uow, hasher, signer):
    stored_user(uow, "wu", ["viewer"])
    for n in range(3):
        with pytest.raises(AuthError):
            await sign_in(uow, hasher, signer, f"mobile{n}", "Wrong-pass1", source="10.8.3.4")
        with pytest.raises(AuthError):
            await sign_in(uow, hasher, signer, f"unknown{n}", "Wrong-pass1", source=None)
    await sign_in(uow, hasher, signer, "wu", PASSWORD, source="10.8.3.4")
    assert not uow.source_throttle.items


# --- the client credentials grant --------------------------------------------------------------------


async def test_a_client_is_given_an_access_token_it_can_lose(uow, hasher, signer):
    client = stored_client(uow)
    grant = await auth.client_credentials_grant(
        client.client_id, SECRET, uow=uow, hasher=hasher, signer=signer, now=NOW
    )
    [token] = uow.client_tokens.items.values()
    assert grant.access_token == f"access:client:{token.id}" and grant.refresh_token is None
    assert token.client_id == client.id and token.expires_at == NOW + timedelta(seconds=900)
    assert signer.signed[-1].scopes == frozenset({"read"})
    assert uow.actor == client.client_id and uow.commits == 1
    assert audited(uow) == [(events.CLIENT_TOKEN, client.id, events.SUCCESS, None)]


async def test_bad_client_credentials_are_refused_and_counted_against_the_address(uow, hasher, signer):
    client = stored_client(uow)
    retired = stored_client(uow, "旧系统", active=False)
    cases = ((client.client_id, "gxs_wrong"), ("gx_unknown", SECRET), (retired.client_id, SECRET))
    for client_id, secret in cases:
        with pytest.raises(AuthError) as refused:
            await auth.client_credentials_grant(
                client_id,
                secret,
                uow=uow,
                hasher=hasher,
                signer=signer,
                now=NOW,
                source="198.51.100.7",
                source_policy=SourcePolicy(max_failures=10),
            )
        assert refused.value.oauth_error == "invalid_client"
    assert not uow.client_tokens.items and uow.commits == 3
    assert [(a[1], a[3]) for a in audited(uow)] == [
        (client.id, "wrong_secret"),
        (None, "unknown_client"),
        (retired.id, "inactive"),
    ]
    assert (await uow.source_throttle.for_source("198.51.100.7")).failures == 3


# --- refresh -----------------------------------------------------------------------------------------


async def _signed_in(uow, hasher, signer, username: str = "dept1"):
    user = stored_user(uow, username, ["viewer"])
    return user, await sign_in(uow, hasher, signer, username, PASSWORD)


async def _refresh(uow, signer, token: str, *, at=NOW):
    return await auth.refresh_grant(token, uow=uow, signer=signer, now=at, refresh_days=30)


async def test_a_refresh_rotates_the_token_within_the_session(uow, hasher, signer):
    _user, first = await _signed_in(uow, hasher, signer)
    later = NOW + timedelta(hours=2)
    second = await _refresh(uow, signer, first.refresh_token, at=later)
    spent = await uow.refresh_tokens.get(signer.hash_refresh_token(first.refresh_token))
    fresh = await uow.refresh_tokens.get(signer.hash_refresh_token(second.refresh_token))
    assert second.refresh_token != first.refresh_token and spent.used_at == later
    assert fresh.session_id == spent.session_id and fresh.expires_at == later + timedelta(days=30)
    assert second.access_token == f"access:user:{spent.session_id}"
    assert audited(uow)[-1] == (events.REFRESH, spent.session_id, events.SUCCESS, None)
    assert uow.commits == 2


async def test_a_reused_refresh_token_revokes_the_whole_family(uow, hasher, signer):
    _user, first = await _signed_in(uow, hasher, signer)
    second = await _refresh(uow, signer, first.refresh_token)
    with pytest.raises(AuthError) as refused:
        await _refresh(uow, signer, first.refresh_token)
    [session] = uow.sessions.items.values()
    assert refused.value.oauth_error == "invalid_grant"
    assert session.revoked_reason == "refresh_token_reused"
    assert audited(uow)[-1] == (events.REFRESH_FAILED, session.id, events.FAILURE, "reused")
    assert uow.commits == 3  # the revocation is kept although the request is refused
    with pytest.raises(AuthError) as after:
        await _refresh(uow, signer, second.refresh_token)
    assert after.value.reason == "session_revoked"


async def test_an_expired_unknown_or_inactive_users_refresh_is_refused(uow, hasher, signer):
    user, grant = await _signed_in(uow, hasher, signer)
    with pytest.raises(AuthError) as expired:
        await _refresh(uow, signer, grant.refresh_token, at=NOW + timedelta(days=30))
    with pytest.raises(AuthError) as unknown:
        await _refresh(uow, signer, "gxr_forged")
    user.active = False
    with pytest.raises(AuthError) as inactive:
        await _refresh(uow, signer, grant.refresh_token)
    assert [e.value.reason for e in (expired, unknown, inactive)] == ["expired", "unknown_token", "inactive"]
    assert len(uow.refresh_tokens.items) == 1
    assert [a[3] for a in audited(uow)[1:]] == ["expired", "unknown_token", "inactive"]


# --- revocation --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["refresh_token", "access_token"])
async def test_revoking_either_token_ends_the_session(uow, hasher, signer, which):
    user, grant = await _signed_in(uow, hasher, signer)
    other = stored_session(uow, user)
    later = NOW + timedelta(minutes=3)
    await auth.revoke_token(getattr(grant, which), uow=uow, signer=signer, now=later)
    session = uow.sessions.items[signer.session_of_access_token(grant.access_token)[1]]
    assert (session.revoked_at, session.revoked_reason) == (later, "revoked") and other.active
    assert audited(uow)[-1] == (events.LOGOUT, session.id, events.SUCCESS, None)
    assert uow.commits == 2 and uow.actor == "dept1"


async def test_revoking_a_clients_access_token_ends_that_token_only(uow, signer):
    client = stored_client(uow)
    token, kept = stored_client_token(uow, client), stored_client_token(uow, client)
    await auth.revoke_token(f"access:client:{token.id}", uow=uow, signer=signer, now=NOW)
    assert token.revoked_reason == "revoked" and kept.revoked_at is None
    await auth.revoke_token(f"access:client:{token.id}", uow=uow, signer=signer, now=NOW)  # again: no news
    assert audited(uow) == [(events.CLIENT_TOKEN_REVOKED, client.id, events.SUCCESS, None)]
    assert uow.commits == 1 and uow.actor == client.client_id


async def test_unknown_and_already_revoked_tokens_change_nothing(uow, hasher, signer):
    _user, grant = await _signed_in(uow, hasher, signer)
    await auth.revoke_token(grant.refresh_token, uow=uow, signer=signer, now=NOW)
    for token in ("unknown", grant.access_token, "access:client:nope"):
        await auth.revoke_token(token, uow=uow, signer=signer, now=NOW + timedelta(minutes=1))
    [session] = uow.sessions.items.values()
    assert session.revoked_at == NOW and uow.commits == 2
    assert [a[0] for a in audited(uow)] == [events.LOGIN, events.LOGOUT]
