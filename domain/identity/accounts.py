"""Departments (部门), users (用户) and city-system clients (对接系统客户端)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.identity.roles import Role, Scope
from domain.shared.errors import InvalidValue
from domain.shared.ids import new_id


def _text(value: str | None, en: str, zh: str, name: str, *, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value or len(value) > max_length:
        raise InvalidValue(
            f"{en} must be 1–{max_length} characters", f"{zh}须为1至{max_length}个字符", field=name
        )
    return value


@dataclass(eq=False)
class Department:
    """部门: a department of the management committee that leads or co-operates on tasks."""

    name: str
    code: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.name = _text(self.name, "name", "部门名称", "name")


def _members(kind: type[StrEnum], values: list[str], *, field: str, en: str, zh: str) -> list[str]:
    """Validate values of an enumeration, de-duplicated in order; at least one."""
    try:
        parsed = list(dict.fromkeys(kind(v).value for v in values))
    except ValueError as exc:
        known = ", ".join(kind)
        raise InvalidValue(f"unknown {en}; known: {known}", f"未知{zh},可用: {known}", field=field) from exc
    if not parsed:
        raise InvalidValue(f"at least one {en} is needed", f"至少需要一个{zh}", field=field)
    return parsed


def parse_roles(roles: list[str]) -> list[str]:
    """Validate and de-duplicate a user's roles."""
    return _members(Role, roles, field="roles", en="role", zh="角色")


def parse_scopes(scopes: list[str]) -> list[str]:
    """Validate and de-duplicate a client's scopes."""
    return _members(Scope, scopes, field="scopes", en="scope", zh="权限范围")


USERNAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def username_key(username: str) -> str:
    """The form usernames are unique and found by: NFKC (full-width ａｄｍｉｎ is admin), then lower case
    (Admin is admin). Sign-in and its lockout go by it too, so neither can be dodged by another spelling."""
    return unicodedata.normalize("NFKC", username).strip().lower()


@dataclass(eq=False)
class User:
    """用户: a person who signs in; the password is kept only as a hash."""

    username: str
    password_hash: str
    roles: list[str]
    display_name: str | None = None
    department_id: str | None = None
    active: bool = True
    must_change_password: bool = False
    password_changed_at: datetime | None = None
    id: str = field(default_factory=new_id)
    username_key: str = ""  # set from the username: see `username_key()`

    def __post_init__(self) -> None:
        self.username = _text(
            unicodedata.normalize("NFKC", self.username or ""),
            "username",
            "用户名",
            "username",
            max_length=64,
        )
        # Latin letters only: a Cyrillic а or a Greek ο looks like a but is another user (аdmin vs admin).
        if not set(self.username.lower()) <= USERNAME_CHARACTERS:
            raise InvalidValue(
                "the username may hold Latin letters, digits, '.', '_' and '-' only",
                "用户名只能包含英文字母、数字、'.'、'_'和'-'",
                field="username",
            )
        self.username_key = username_key(self.username)
        self.roles = parse_roles(self.roles)
        if Role.DEPARTMENT in self.roles and not self.department_id:
            raise InvalidValue(
                "a user with the department role needs a department",
                "部门角色的用户必须指定所属部门",
                field="department_id",
            )

    def change_roles(self, roles: list[str]) -> None:
        self.roles = parse_roles(roles)
        self.__post_init__()

    def set_password(self, password_hash: str, at: datetime, *, temporary: bool) -> None:
        """Store a new hash; a temporary one (set by an admin) must be changed at the next login."""
        self.password_hash = password_hash
        self.password_changed_at = at
        self.must_change_password = temporary


@dataclass(eq=False)
class Client:
    """对接系统: another city system calling with client credentials and scopes."""

    name: str
    client_id: str
    secret_hash: str
    scopes: list[str]
    active: bool = True
    created_at: datetime | None = None
    rotated_at: datetime | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.name = _text(self.name, "name", "客户端名称", "name")
        self.scopes = parse_scopes(self.scopes)
