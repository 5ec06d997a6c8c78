"""principal notices: PostgreSQL tells every listening process, at the commit of any change to what a token
speaks for (users, clients, sign-in sessions, client tokens), to forget the principals it remembers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables infrastructure/security/principals.py reads to authenticate a request. An INSERT changes no
# principal anyone holds (a new session or token is a new key), so only UPDATE, DELETE and TRUNCATE notify.
# A statement trigger (not a row one) with an empty payload: PostgreSQL folds a transaction's equal notices
# into one, so each committed change sends exactly one notice, stamped with its backend's pid — the process
# that made it counts on that to know when its own change is back (principal_cache.py).
TABLES = ("users", "clients", "auth_sessions", "client_tokens")
FUNCTION = "gaoxin_principals_changed"
CHANNEL = "gaoxin_principals"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no notices: the service reads the principal on every request there
    op.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_principals_changed AFTER UPDATE OR DELETE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_principals_truncated AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_principals_truncated ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_principals_changed ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
