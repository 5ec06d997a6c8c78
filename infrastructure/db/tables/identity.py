"""Tables of identity and access: departments, users, clients, sessions, throttle, audit log."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table

from infrastructure.db.metadata import metadata
from infrastructure.db.tables.outbox import AutoId
from infrastructure.db.types import JsonDocument, UtcDateTime

Id = String(32)

departments = Table(
    "departments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("code", String(64), nullable=True, unique=True),
    Column("version", Integer, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    # NFKC and lower case: what makes two usernames the same (domain.identity.accounts.username_key).
    Column("username_key", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("roles", JsonDocument(), nullable=False),
    Column("department_id", Id, ForeignKey("departments.id"), nullable=True, index=True),
    Column("active", Boolean, nullable=False),
    Column("must_change_password", Boolean, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)

clients = Table(
    "clients",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("secret_hash", String(255), nullable=False),
    Column("scopes", JsonDocument(), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=True),
    Column("rotated_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)

# A sign-in session: the family of refresh tokens issued from one login; access tokens name it (`sid`).
auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_reason", String(64), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("session_id", Id, ForeignKey("auth_sessions.id"), nullable=False, index=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

# An access token given to a client (its `sid`): a row per grant, so that one can be revoked at once.
client_tokens = Table(
    "client_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("client_id", Id, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_reason", String(64), nullable=True),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("username", String(255), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime, nullable=True),
)

# Failed passwords counted per network address, in the current window (domain.identity.throttle).
login_source_throttle = Table(
    "login_source_throttle",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started", UtcDateTime, nullable=True),
    Column("locked_until", UtcDateTime, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(255), nullable=True),
    Column("action", String(64), nullable=False),
    Column("resource_type", String(64), nullable=False),
    Column("resource_id", String(64), nullable=True),
    Column("request_id", String(128), nullable=True),
    Column("before", JsonDocument(), nullable=True),
    Column("after", JsonDocument(), nullable=True),
    # The caller's network address (security events, and every write made through the API).
    Column("source", String(64), nullable=True),
    # HMAC-SHA256 under the key `key_id` names (NULL: an entry of the chain before it was keyed, SHA-256).
    Column("hash", String(64), nullable=False),
    Column("key_id", String(16), nullable=True),
    Index("ix_audit_log_resource", "resource_type", "resource_id"),
    Index("ix_audit_log_actor", "actor"),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_action", "action"),
)
