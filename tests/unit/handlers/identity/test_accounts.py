"""Departments, users and clients through the handlers, in memory: what is stored and committed, what is
refused (nothing committed), passwords and secrets kept only as hashes, sessions ended with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.identity import security_events
from domain.identity.handlers import accounts
from domain.identity.policy import Principal
from domain.identity.sessions import LoginLocked
from domain.identity.throttle import ThrottlePolicy
from domain.shared.errors import Duplicate, InvalidValue, NotFound
from tests.unit.handlers.identity.given import (
    NOW,
    PASSWORD,
    stored_client,
    stored_client_token,
    stored_session,
    stored_user,
)


class Refused(Exception):
    """What the test's expectation raises: the caller expected another version."""


def refuse(_current: object) -> None:
    raise Refused


def seen_by(loaded: list[object]):
    def expect(current: object) -> None:
        loaded.append(current)

    return expect


# --- departments -------------------------------------------------------------------------------------


async def test_a_department_is_stored_and_committed(uow):
    department = await accounts.create_department({"name": " 经济发展局 ", "code": "JF"}, uow=uow)
    assert uow.commits == 1
    assert await accounts.get_department(department.id, uow=uow) is department
    assert (department.name, department.code) == ("经济发展局", "JF")


@pytest.mark.parametrize("data", [{"name": "财政局"}, {"name": "另一个局", "code": "CZ"}])
async def test_a_second_department_of_the_same_name_or_code_is_refused(uow, data):
    await accounts.create_department({"name": "财政局", "code": "CZ"}, uow=uow)
    with pytest.raises(Duplicate):
        await accounts.create_department(data, uow=uow)
    assert uow.commits == 1 and len(uow.departments.items) == 1


async def test_an_empty_department_name_is_refused(uow):
    with pytest.raises(InvalidValue) as refused:
        await accounts.create_department({"name": "  "}, uow=uow)
    assert refused.value.field == "name" and uow.commits == 0 and not uow.departments.items


async def test_a_department_is_renamed_as_the_caller_expected_it(uow):
    department = await accounts.create_department({"name": "经济发展局", "code": "JF"}, uow=uow)
    loaded: list[object] = []
    renamed = await accounts.update_department(
        department.id, {"name": "经发局"}, uow=uow, expect=seen_by(loaded)
    )
    assert loaded == [department] and renamed.name == "经发局" and renamed.code == "JF"
    assert uow.commits == 2


async def test_renaming_to_another_departments_name_is_refused(uow):
    await accounts.create_department({"name": "财政局"}, uow=uow)
    other = await accounts.create_department({"name": "科技局"}, uow=uow)
    with pytest.raises(Duplicate):
        await accounts.update_department(other.id, {"name": "财政局"}, uow=uow)
    assert uow.commits == 2


async def test_a_department_the_caller_did_not_expect_is_left_alone(uow):
    department = await accounts.create_department({"name": "科技局"}, uow=uow)
    with pytest.raises(Refused):
        await accounts.update_department(department.id, {"name": "新名称"}, uow=uow, expect=refuse)
    assert department.name == "科技局" and uow.commits == 1


async def test_an_unknown_department_is_not_found_before_any_expectation(uow):
    with pytest.raises(NotFound):
        await accounts.update_department("nope", {"name": "x"}, uow=uow, expect=refuse)
    with pytest.raises(NotFound):
        await accounts.get_department("nope", uow=uow)
    assert uow.commits == 0


# --- users -------------------------------------------------------------------------------------------


async def test_a_user_is_stored_with_a_hash_of_the_password(uow, hasher):
    department = await accounts.create_department({"name": "科技局"}, uow=uow)
    data = {
        "username": "zhang",
        "password": "Wei-Ming-2025",
        "roles": ["department", "department"],
        "department_id": department.id,
        "display_name": "张三",
    }
    user = await accounts.create_user(data, uow=uow, hasher=hasher, now=NOW)
    assert uow.commits == 2 and await accounts.get_user(user.id, uow=uow) is user
    assert user.password_hash == "hashed:Wei-Ming-2025"
    assert user.roles == ["department"] and user.password_changed_at == NOW
    assert user.active and not user.must_change_password


@pytest.mark.parametrize(
    "password, says",
    [
        ("Ab1!xyz", "at least 8"),
        ("abcdefgh1", "three"),
        ("newuser-Abc1", "username"),
        ("Password1!", "common"),
    ],
)
async def test_a_password_against_the_policy_is_refused(uow, hasher, password, says):
    data = {"username": "newuser", "password": password, "roles": ["viewer"]}
    with pytest.raises(InvalidValue) as refused:
        await accounts.create_user(data, uow=uow, hasher=hasher, now=NOW)
    assert says in refused.value.en and refused.value.field == "password"
    assert uow.commits == 0 and not uow.users.items


async def test_a_username_taken_in_another_spelling_is_refused(uow, hasher):
    stored_user(uow, "zhang", ["viewer"])
    data = {"username": "ＺＨＡＮＧ", "password": PASSWORD, "roles": ["viewer"]}
    with pytest.raises(Duplicate):
        await accounts.create_user(data, uow=uow, hasher=hasher, now=NOW)
    assert uow.commits == 0 and len(uow.users.items) == 1


async def test_an_unknown_department_or_role_is_refused(uow, hasher):
    unknown_department = {
        "username": "d1",
        "password": PASSWORD,
        "roles": ["viewer"],
        "department_id": "nope",
    }
    with pytest.raises(InvalidValue) as refused:
        await accounts.create_user(unknown_department, uow=uow, hasher=hasher, now=NOW)
    assert refused.value.field == "department_id"
    with pytest.raises(InvalidValue) as refused:
        await accounts.create_user(
            {"username": "d1", "password": PASSWORD, "roles": ["god"]}, uow=uow, hasher=hasher, now=NOW
        )
    assert refused.value.field == "roles"
    no_department = {"username": "d1", "password": PASSWORD, "roles": ["department"]}
    with pytest.raises(InvalidValue) as refused:
        await accounts.create_user(no_department, uow=uow, hasher=hasher, now=NOW)
    assert refused.value.field == "department_id"
    assert uow.commits == 0 and not uow.users.items


async def test_a_reset_password_is_temporary_and_ends_every_session(uow, hasher):
    user = stored_user(uow, "li", ["viewer"])
    sessions = [stored_session(uow, user), stored_session(uow, user)]
    loaded: list[object] = []
    later = NOW + timedelta(days=1)
    await accounts.update_user(
        user.id, {"reset_password": "Temp-0001x"}, uow=uow, hasher=hasher, now=later, expect=seen_by(loaded)
    )
    assert loaded == [user] and uow.commits == 1
    assert user.password_hash == "hashed:Temp-0001x" and user.must_change_password
    assert user.password_changed_at == later
    assert [(s.revoked_at, s.revoked_reason) for s in sessions] == [(later, "password_reset")] * 2


async def test_a_reset_password_against_the_policy_names_its_field(uow, hasher):
    user = stored_user(uow, "li", ["viewer"])
    with pytest.raises(InvalidValue) as refused:
        await accounts.update_user(user.id, {"reset_password": "short"}, uow=uow, hasher=hasher, now=NOW)
    assert refused.value.field == "reset_password" and uow.commits == 0


async def test_deactivating_a_user_ends_their_sessions_only(uow, hasher):
    user = stored_user(uow, "wang", ["viewer"])
    theirs = stored_session(uow, user)
    someone_elses = stored_session(uow, stored_user(uow, "zhao", ["viewer"]))
    await accounts.update_user(user.id, {"active": False}, uow=uow, hasher=hasher, now=NOW)
    assert not user.active and uow.commits == 1
    assert theirs.revoked_reason == "deactivated" and someone_elses.active


async def test_roles_department_and_name_change(uow, hasher):
    department = await accounts.create_department({"name": "科技局"}, uow=uow)
    user = stored_user(uow, "wu", ["viewer"])
    changes = {"roles": ["department"], "department_id": department.id, "display_name": "吴六"}
    await accounts.update_user(user.id, changes, uow=uow, hasher=hasher, now=NOW)
    assert (user.roles, user.department_id, user.display_name) == (["department"], department.id, "吴六")
    assert uow.commits == 2


@pytest.mark.parametrize("changes", [{"active": False}, {"roles": ["viewer"]}])
async def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(uow, hasher, changes):
    admin = stored_user(uow, "root", ["admin"])
    stored_user(uow, "former", ["admin"], active=False)
    with pytest.raises(accounts.LastAdmin):
        await accounts.update_user(admin.id, changes, uow=uow, hasher=hasher, now=NOW)
    assert uow.commits == 0


async def test_an_admin_may_step_down_while_another_stays(uow, hasher):
    admin = stored_user(uow, "root", ["admin"])
    stored_user(uow, "deputy", ["admin", "planner"])
    await accounts.update_user(admin.id, {"roles": ["viewer"]}, uow=uow, hasher=hasher, now=NOW)
    assert admin.roles == ["viewer"] and uow.commits == 1


async def test_a_user_the_caller_did_not_expect_is_left_alone(uow, hasher):
    user = stored_user(uow, "li", ["viewer"])
    session = stored_session(uow, user)
    with pytest.raises(Refused):
        await accounts.update_user(
            user.id,
            {"active": False, "reset_password": "Temp-0001x"},
            uow=uow,
            hasher=hasher,
            now=NOW,
            expect=refuse,
        )
    assert user.active and user.password_hash == "hashed:" + PASSWORD and session.active
    assert uow.commits == 0
    with pytest.raises(NotFound):
        await accounts.update_user("nope", {}, uow=uow, hasher=hasher, now=NOW, expect=refuse)


# --- one's own password ------------------------------------------------------------------------------


def _me(user, session_id: str | None = None) -> Principal:
    return Principal(kind="user", id=user.id, name=user.username, session_id=session_id)


async def test_changing_ones_password_keeps_this_session_and_ends_the_others(uow, hasher):
    user = stored_user(uow, "li", ["viewer"], must_change_password=True)
    this, other = stored_session(uow, user), stored_session(uow, user)
    changed = await accounts.change_own_password(
        _me(user, this.id), PASSWORD, "Fresh-Pass-2025", uow=uow, hasher=hasher, now=NOW
    )
    assert changed is user and uow.commits == 1
    assert user.password_hash == "hashed:Fresh-Pass-2025" and not user.must_change_password
    assert this.active and other.revoked_reason == "password_changed"


async def test_a_wrong_current_password_counts_as_a_failed_sign_in_and_is_committed(uow, hasher):
    user = stored_user(uow, "li", ["viewer"])
    with pytest.raises(InvalidValue) as refused:
        await accounts.change_own_password(
            _me(user), "nope", "Fresh-Pass-2025", uow=uow, hasher=hasher, now=NOW
        )
    assert refused.value.field == "current_password"
    assert uow.commits == 1 and (await uow.throttle.for_username("li")).failures == 1
    assert user.password_hash == "hashed:" + PASSWORD
    assert [(a["action"], a["reason"]) for a in uow.audited] == [
        (security_events.PASSWORD_CHANGE_FAILED, "wrong_password")
    ]


async def test_failures_lock_the_username_then_no_password_is_checked(uow, hasher):
    user = stored_user(uow, "li", ["viewer"])
    policy = ThrottlePolicy(max_failures=3, lock_minutes=15)
    for _ in range(3):
        with pytest.raises(InvalidValue):
            await accounts.change_own_password(
                _me(user), "nope", "Fresh-Pass-2025", uow=uow, hasher=hasher, now=NOW, throttle_policy=policy
            )
    assert uow.audited[-1]["action"] == security_events.LOCKOUT
    checks = hasher.verified
    with pytest.raises(LoginLocked) as locked:
        await accounts.change_own_password(
            _me(user),
            PASSWORD,
            "Fresh-Pass-2025",
            uow=uow,
            hasher=hasher,
            now=NOW + timedelta(minutes=5),
            throttle_policy=policy,
        )
    assert locked.value.retry_after == 10 * 60 and hasher.verified == checks
    assert uow.commits == 3 and user.password_hash == "hashed:" + PASSWORD


async def test_the_new_password_must_meet_the_policy_and_differ(uow, hasher):
    user = stored_user(uow, "li", ["viewer"])
    for new in ("short", PASSWORD):
        with pytest.raises(InvalidValue) as refused:
            await accounts.change_own_password(_me(user), PASSWORD, new, uow=uow, hasher=hasher, now=NOW)
        assert refused.value.field == "new_password"
    assert uow.commits == 0 and user.password_hash == "hashed:" + PASSWORD


# --- clients -----------------------------------------------------------------------------------------


async def test_a_client_is_given_an_id_and_a_secret_kept_only_as_a_hash(uow, hasher):
    issued = await accounts.create_client(
        {"name": "市政务平台", "scopes": ["read", "read"]}, uow=uow, hasher=hasher, now=NOW
    )
    client = issued.client
    assert uow.commits == 1 and await accounts.get_client(client.id, uow=uow) is client
    assert client.client_id.startswith("gx_") and issued.client_secret.startswith("gxs_")
    assert client.secret_hash == "hashed:" + issued.client_secret
    assert client.scopes == ["read"] and client.created_at == NOW


async def test_an_unknown_scope_is_refused(uow, hasher):
    with pytest.raises(InvalidValue) as refused:
        await accounts.create_client({"name": "x", "scopes": ["root"]}, uow=uow, hasher=hasher, now=NOW)
    assert refused.value.field == "scopes" and uow.commits == 0 and not uow.clients.items


async def test_rotating_a_secret_ends_every_token_of_the_client(uow, hasher):
    client = stored_client(uow)
    tokens = [stored_client_token(uow, client), stored_client_token(uow, client)]
    others = stored_client_token(uow, stored_client(uow, "其他系统"))
    old_hash = client.secret_hash
    issued = await accounts.rotate_client_secret(client.id, uow=uow, hasher=hasher, now=NOW)
    assert issued.client is client and uow.commits == 1
    assert client.secret_hash == "hashed:" + issued.client_secret != old_hash and client.rotated_at == NOW
    assert [(t.revoked_at, t.revoked_reason) for t in tokens] == [(NOW, "rotated")] * 2
    assert others.revoked_at is None
    with pytest.raises(NotFound):
        await accounts.rotate_client_secret("nope", uow=uow, hasher=hasher, now=NOW)


async def test_a_deleted_client_goes_with_its_tokens(uow):
    client = stored_client(uow)
    stored_client_token(uow, client)
    others = stored_client_token(uow, stored_client(uow, "其他系统"))
    loaded: list[object] = []
    await accounts.delete_client(client.id, uow=uow, expect=seen_by(loaded))
    assert loaded == [client] and uow.commits == 1
    assert client.id not in uow.clients.items and list(uow.client_tokens.items) == [others.id]


async def test_a_client_the_caller_did_not_expect_is_not_deleted(uow):
    client = stored_client(uow)
    with pytest.raises(Refused):
        await accounts.delete_client(client.id, uow=uow, expect=refuse)
    with pytest.raises(NotFound):
        await accounts.delete_client("nope", uow=uow, expect=refuse)
    assert client.id in uow.clients.items and uow.commits == 0


# --- the first admin ---------------------------------------------------------------------------------


async def test_an_empty_store_gets_an_admin_with_a_generated_password_to_change(uow, hasher):
    generated = await accounts.ensure_admin(None, uow=uow, hasher=hasher, now=NOW)
    admin = await uow.users.by_username("admin")
    assert generated and admin.password_hash == "hashed:" + generated
    assert admin.roles == ["admin"] and admin.must_change_password and uow.commits == 1
    assert await accounts.ensure_admin(None, uow=uow, hasher=hasher, now=NOW) is None
    assert len(uow.users.items) == 1 and uow.commits == 1


async def test_no_admin_is_generated_where_people_exist(uow, hasher):
    stored_user(uow, "planner", ["planner"])
    assert await accounts.ensure_admin(None, uow=uow, hasher=hasher, now=NOW) is None
    assert await uow.users.by_username("admin") is None and uow.commits == 0


async def test_a_configured_admin_password_is_set_but_a_disabled_admin_stays_disabled(uow, hasher):
    assert await accounts.ensure_admin("Root-Pass-2025", uow=uow, hasher=hasher, now=NOW) is None
    admin = await uow.users.by_username("admin")
    assert admin.password_hash == "hashed:Root-Pass-2025" and not admin.must_change_password
    admin.active = False
    await accounts.ensure_admin("Other-Pass-2026", uow=uow, hasher=hasher, now=NOW)
    assert admin.password_hash == "hashed:Other-Pass-2026" and not admin.active
    assert len(uow.users.items) == 1 and uow.commits == 2


async def test_a_configured_admin_password_must_meet_the_policy(uow, hasher):
    with pytest.raises(InvalidValue) as refused:
        await accounts.ensure_admin("admin123", uow=uow, hasher=hasher, now=NOW)
    assert refused.value.field == "GAOXIN_ADMIN_PASSWORD" and not uow.users.items and uow.commits == 0


async def test_lists_page_departments_users_and_clients_in_creation_order(uow):
    made = [(await accounts.create_department({"name": f"第{n}局"}, uow=uow)).id for n in ("一", "二", "三")]
    first = await accounts.departments_page(after=None, limit=2, uow=uow)
    assert [d.id for d in first] == sorted(made)  # limit + 1 rows: another page exists
    rest = await accounts.departments_page(after=sorted(made)[1], limit=2, uow=uow)
    assert [d.id for d in rest] == sorted(made)[2:]
    users = [stored_user(uow, f"user{n}", ["viewer"]) for n in range(3)]
    assert [u.id for u in await accounts.users_page(after=None, limit=5, uow=uow)] == sorted(
        u.id for u in users
    )
    client = stored_client(uow)
    assert [c.id for c in await accounts.clients_page(after=None, limit=5, uow=uow)] == [client.id]
    assert await accounts.clients_page(after=client.id, limit=5, uow=uow) == []
