"""Departments, users and clients: create, change, reset, rotate, revoke."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.identity import security_events as events
from domain.identity.accounts import Client, Department, User, parse_scopes
from domain.identity.passwords import check_password_policy
from domain.identity.policy import Principal
from domain.identity.ports import IdentityUnitOfWork, PasswordHasher
from domain.identity.roles import Role
from domain.identity.sessions import LoginLocked
from domain.identity.throttle import ThrottlePolicy
from domain.shared.errors import Conflict, Duplicate, InvalidValue, NotFound
from domain.shared.uow import Expectation, no_expectation


class LastAdmin(Conflict):
    """The change would leave no active admin (409): nobody could manage users any more."""

    rule = "last-admin"


def _missing(kind_en: str, kind_zh: str, ident: str) -> NotFound:
    return NotFound(f"no {kind_en} {ident}", f"{kind_zh} {ident} 不存在")


async def get_department(department_id: str, *, uow: IdentityUnitOfWork) -> Department:
    department = await uow.departments.get(department_id)
    if department is None:
        raise _missing("department", "部门", department_id)
    return department


async def create_department(data: dict[str, Any], *, uow: IdentityUnitOfWork) -> Department:
    """Add a department; names (and codes) are unique."""
    department = Department(name=data["name"], code=data.get("code"))
    await _check_department_unique(department, uow=uow)
    uow.departments.add(department)
    await uow.commit()
    return department


async def update_department(
    department_id: str,
    changes: dict[str, Any],
    *,
    uow: IdentityUnitOfWork,
    expect: Expectation = no_expectation,
) -> Department:
    """Rename or re-code a department, as the caller expected it to be (`expect`)."""
    department = await get_department(department_id, uow=uow)
    expect(department)
    for key in ("name", "code"):
        if key in changes:
            setattr(department, key, changes[key])
    department.__post_init__()
    await _check_department_unique(department, uow=uow)
    await uow.commit()
    return department


async def _check_department_unique(department: Department, *, uow: IdentityUnitOfWork) -> None:
    for other in await uow.departments.with_name_or_code(department.name, department.code):
        if other.id != department.id:
            raise Duplicate("a department with that name or code exists", "同名或同编码的部门已存在")


async def _check_department_exists(department_id: str | None, *, uow: IdentityUnitOfWork) -> None:
    if department_id and await uow.departments.get(department_id) is None:
        raise InvalidValue(
            f"no department {department_id}", f"部门 {department_id} 不存在", field="department_id"
        )


async def get_user(user_id: str, *, uow: IdentityUnitOfWork) -> User:
    user = await uow.users.get(user_id)
    if user is None:
        raise _missing("user", "用户", user_id)
    return user


async def create_user(
    data: dict[str, Any], *, uow: IdentityUnitOfWork, hasher: PasswordHasher, now: datetime
) -> User:
    """Add a person with roles; the password must meet the policy."""
    check_password_policy(data["password"], username=data["username"])
    await _check_department_exists(data.get("department_id"), uow=uow)
    if await uow.users.by_username(data["username"].strip()) is not None:
        raise Duplicate("that username is taken", "该用户名已被使用")
    user = User(
        username=data["username"],
        password_hash=await hasher.hash(data["password"]),
        roles=list(data["roles"]),
        display_name=data.get("display_name"),
        department_id=data.get("department_id"),
        active=data.get("active", True),
        password_changed_at=now,
    )
    uow.users.add(user)
    await uow.commit()
    return user


async def update_user(
    user_id: str,
    changes: dict[str, Any],
    *,
    uow: IdentityUnitOfWork,
    hasher: PasswordHasher,
    now: datetime,
    expect: Expectation = no_expectation,
) -> User:
    """Change roles, department, name or `active`; `reset_password` sets a temporary password. The last
    active admin can be neither deactivated nor demoted."""
    user = await get_user(user_id, uow=uow)
    expect(user)
    was_admin = user.active and Role.ADMIN in user.roles
    if "department_id" in changes:
        await _check_department_exists(changes["department_id"], uow=uow)
        user.department_id = changes["department_id"]
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    user.change_roles(list(changes.get("roles", user.roles)))
    if "reset_password" in changes:
        check_password_policy(changes["reset_password"], username=user.username, field="reset_password")
        user.set_password(await hasher.hash(changes["reset_password"]), now, temporary=True)
        await uow.sessions.revoke_all_of_user(user.id, now, "password_reset")
    if "active" in changes:
        user.active = bool(changes["active"])
        if not user.active:
            await uow.sessions.revoke_all_of_user(user.id, now, "deactivated")
    still_admin = user.active and Role.ADMIN in user.roles
    if was_admin and not still_admin and not [a for a in await uow.users.active_admins() if a.id != user.id]:
        raise LastAdmin(
            "this is the last active admin: make another user admin first",
            "该用户是最后一个在用的管理员,请先将其他用户设为管理员",
        )
    await uow.commit()
    return user


async def change_own_password(
    principal: Principal,
    current: str,
    new: str,
    *,
    uow: IdentityUnitOfWork,
    hasher: PasswordHasher,
    now: datetime,
    throttle_policy: ThrottlePolicy = ThrottlePolicy(),
) -> User:
    """A person changes their own password (also the way out of a temporary one). A wrong current password
    counts toward the username's lockout as a failed sign-in does; while locked, none is checked (429)."""
    user = await get_user(principal.id, uow=uow)
    throttle = await uow.throttle.for_username(user.username_key)
    locked = throttle.locked_for(now)
    if locked:
        raise LoginLocked(locked)
    if not await hasher.verify(current, user.password_hash):
        events.record(uow, events.PASSWORD_CHANGE_FAILED, "user", user.id, events.FAILURE, "wrong_password")
        throttle.fail(now, throttle_policy)
        if throttle.locked_for(now):
            events.record(uow, events.LOCKOUT, "user", user.id, events.LOCKED, "too_many_failures")
        await uow.commit()  # the failure counts although the request is refused
        raise InvalidValue("the current password is wrong", "当前口令不正确", field="current_password")
    throttle.succeed()
    check_password_policy(new, username=user.username, field="new_password")
    if await hasher.verify(new, user.password_hash):
        raise InvalidValue(
            "the new password must differ from the current one",
            "新口令不能与当前口令相同",
            field="new_password",
        )
    user.set_password(await hasher.hash(new), now, temporary=False)
    await uow.sessions.revoke_all_of_user(user.id, now, "password_changed", keep=principal.session_id)
    await uow.commit()
    return user


@dataclass(frozen=True)
class IssuedClient:
    """A client with its secret, which is shown this once."""

    client: Client
    client_secret: str


def _new_secret() -> str:
    return "gxs_" + secrets.token_urlsafe(32)


async def create_client(
    data: dict[str, Any], *, uow: IdentityUnitOfWork, hasher: PasswordHasher, now: datetime
) -> IssuedClient:
    """Register a city system; its id and secret are generated, the secret kept only as a hash."""
    secret = _new_secret()
    client = Client(
        name=data["name"],
        client_id="gx_" + secrets.token_hex(8),
        secret_hash=await hasher.hash(secret),
        scopes=parse_scopes(list(data["scopes"])),
        created_at=now,
    )
    uow.clients.add(client)
    await uow.commit()
    return IssuedClient(client, secret)


async def get_client(client_id: str, *, uow: IdentityUnitOfWork) -> Client:
    client = await uow.clients.get(client_id)
    if client is None:
        raise _missing("client", "客户端", client_id)
    return client


async def rotate_client_secret(
    client_id: str, *, uow: IdentityUnitOfWork, hasher: PasswordHasher, now: datetime
) -> IssuedClient:
    """Give the client a new secret; the old one and every token it was given stop working at once."""
    client = await get_client(client_id, uow=uow)
    secret = _new_secret()
    client.secret_hash = await hasher.hash(secret)
    client.rotated_at = now
    await uow.client_tokens.revoke_all_of_client(client.id, now, "rotated")
    await uow.commit()
    return IssuedClient(client, secret)


async def delete_client(
    client_id: str, *, uow: IdentityUnitOfWork, expect: Expectation = no_expectation
) -> None:
    """Revoke a client for good, as the caller expected it to be; its tokens go with it (and stop working
    at once)."""
    client = await get_client(client_id, uow=uow)
    expect(client)
    await uow.clients.delete(client)
    await uow.commit()


ADMIN_USERNAME = "admin"


async def ensure_admin(
    password: str | None, *, uow: IdentityUnitOfWork, hasher: PasswordHasher, now: datetime
) -> str | None:
    """Make sure `admin` exists: with the given password, or on an empty database with a random one. An
    admin an operator disabled is not enabled again (that takes a PATCH of `active` by another admin).

    Returns the random password (to be printed once, and changed at first login), else None.
    """
    admin = await uow.users.by_username(ADMIN_USERNAME)
    if password is not None:
        check_password_policy(password, username=ADMIN_USERNAME, field="GAOXIN_ADMIN_PASSWORD")
        if admin is None:
            uow.users.add(
                User(
                    username=ADMIN_USERNAME,
                    password_hash=await hasher.hash(password),
                    roles=["admin"],
                    display_name="系统管理员",
                    password_changed_at=now,
                )
            )
        elif not await hasher.verify(password, admin.password_hash):
            # The password is set again; a deliberately disabled admin stays disabled.
            admin.set_password(await hasher.hash(password), now, temporary=False)
        await uow.commit()
        return None
    if admin is not None or await uow.users.any():
        return None
    generated = secrets.token_urlsafe(12) + "-Aa1"  # always meets the policy
    uow.users.add(
        User(
            username=ADMIN_USERNAME,
            password_hash=await hasher.hash(generated),
            roles=["admin"],
            display_name="系统管理员",
            must_change_password=True,
            password_changed_at=now,
        )
    )
    await uow.commit()
    return generated


async def departments_page(*, after: str | None, limit: int, uow: IdentityUnitOfWork) -> list[Department]:
    """A page of departments in creation order (limit + 1: one more says another page exists)."""
    return await uow.departments.list_page(after=after, limit=limit)


async def users_page(*, after: str | None, limit: int, uow: IdentityUnitOfWork) -> list[User]:
    """A page of users in creation order (limit + 1)."""
    return await uow.users.list_page(after=after, limit=limit)


async def clients_page(*, after: str | None, limit: int, uow: IdentityUnitOfWork) -> list[Client]:
    """A page of API clients in creation order (limit + 1)."""
    return await uow.clients.list_page(after=after, limit=limit)
