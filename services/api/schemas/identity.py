"""Schemas of identity and access: departments, users, clients, tokens, audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, SecretStr

from domain.identity.roles import Role, Scope
from services.api.schemas.base import ReadModel, WriteModel


class DepartmentIn(WriteModel):
    name: str = Field(min_length=1, max_length=200, description="部门名称")
    code: str | None = Field(default=None, max_length=64)


class DepartmentPatch(WriteModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    code: str | None = Field(default=None, max_length=64)


class DepartmentOut(ReadModel):
    id: str
    name: str
    code: str | None = None


class UserIn(WriteModel):
    username: str = Field(min_length=1, max_length=64)
    password: SecretStr = Field(description="write only; ≥ 8 characters from ≥ 3 classes")
    display_name: str | None = Field(default=None, max_length=200)
    roles: list[Role] = Field(min_length=1)
    department_id: str | None = None
    active: bool = True


class UserPatch(WriteModel):
    display_name: str | None = Field(default=None, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    department_id: str | None = None
    active: bool | None = None
    reset_password: SecretStr | None = Field(
        default=None, description="sets a temporary password that must be changed at the next login"
    )


class UserOut(ReadModel):
    id: str
    username: str
    display_name: str | None = None
    roles: list[str]
    department_id: str | None = None
    active: bool
    must_change_password: bool


class PasswordChange(WriteModel):
    current_password: SecretStr
    new_password: SecretStr


class ClientIn(WriteModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[Scope] = Field(min_length=1)


class ClientOut(ReadModel):
    id: str
    name: str
    client_id: str
    scopes: list[str]
    active: bool
    created_at: datetime | None = None
    rotated_at: datetime | None = None


class ClientWithSecret(ClientOut):
    client_secret: str = Field(description="shown this once; only its hash is kept")


class TokenOut(ReadModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str | None = None


class MeOut(UserOut):
    pass


class AuditEntryOut(ReadModel):
    id: str
    at: datetime
    actor: str | None
    action: str
    resource_type: str
    resource_id: str | None
    request_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    source: str | None = Field(default=None, description="the caller's network address")
    hash: str = Field(description="HMAC-SHA256 under the key `key_id` names (null: SHA-256, before keying)")
    key_id: str | None = None


class AuditVerifyOut(ReadModel):
    valid: bool
    entries: int
    first_broken_id: str | None = None
    reason: str | None = Field(
        default=None,
        description="why not valid: altered (an entry altered, or one before it removed), unknown_key, "
        "unkeyed, anchor_mismatch, truncated (the log was cut back behind the anchor)",
    )
    head: str | None = Field(
        default=None, description="the newest entry as `<id>:<hash>`: write it down outside as an anchor"
    )
