"""security: the keyed, append-only audit log with source addresses; client tokens; failures by address;
usernames unique under NFKC and case

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 10:00:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infrastructure.db.types
from infrastructure.db import append_only

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_tokens",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("issued_at", infrastructure.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", infrastructure.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", infrastructure.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_tokens_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_tokens")),
    )
    with op.batch_alter_table("client_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_tokens_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_tokens_expires_at"), ["expires_at"], unique=False)
    op.create_table(
        "login_source_throttle",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started", infrastructure.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("locked_until", infrastructure.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_login_source_throttle")),
    )

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.create_index("ix_audit_log_action", ["action"], unique=False)
    _username_keys()
    # Last: SQLite's batch mode rebuilds a table, and a rebuilt table has lost its triggers.
    for statement in append_only.create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def _username_keys() -> None:
    """Each user's username_key (NFKC, lower case), computed here as the domain computes it today."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("username_key", sa.String(length=64), nullable=True))
    users = sa.table(
        "users", sa.column("id", sa.String), sa.column("username", sa.String), sa.column("username_key")
    )
    bind, seen = op.get_bind(), {}
    for user_id, username in bind.execute(sa.select(users.c.id, users.c.username)).all():
        key = unicodedata.normalize("NFKC", username).strip().lower()
        if key in seen:
            raise RuntimeError(
                f"the users {seen[key]!r} and {username!r} are one username under NFKC and case: "
                "rename one of them, then upgrade again"
            )
        seen[key] = username
        bind.execute(users.update().where(users.c.id == user_id).values(username_key=key))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("username_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_username_key"), ["username_key"])


def downgrade() -> None:
    for statement in append_only.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_action")
        batch_op.drop_column("key_id")
        batch_op.drop_column("source")
    with op.batch_alter_table("client_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_tokens_expires_at"))
        batch_op.drop_index(batch_op.f("ix_client_tokens_client_id"))
    op.drop_table("client_tokens")
    op.drop_table("login_source_throttle")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_username_key"), type_="unique")
        batch_op.drop_column("username_key")
