"""The audit log is append-only in the database itself: triggers refuse UPDATE, DELETE and TRUNCATE.

One definition, used by the migration that creates the triggers (0008) and by the tests' privileged
clean-up, so that the two cannot drift apart. The triggers bind every role that does not own the table
or bypass triggers; docs/DEPLOYMENT.md says how a service role without those rights strengthens them.
"""

from __future__ import annotations

TABLE = "audit_log"
MESSAGE = "audit_log is append-only: entries are never updated or deleted"

SQLITE_TRIGGERS = {
    "audit_log_no_update": f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "audit_log_no_delete": f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
}

POSTGRESQL_FUNCTION = "audit_log_append_only"
POSTGRESQL_TRIGGERS = {
    "audit_log_no_change": f"CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {POSTGRESQL_FUNCTION}()",
    "audit_log_no_truncate": f"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRESQL_FUNCTION}()",
}


def create_statements(dialect: str) -> list[str]:
    """The statements that make the table append-only on this dialect."""
    if dialect == "postgresql":
        function = (
            f"CREATE OR REPLACE FUNCTION {POSTGRESQL_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        return [function, *POSTGRESQL_TRIGGERS.values()]
    return list(SQLITE_TRIGGERS.values())


def drop_statements(dialect: str) -> list[str]:
    """The statements that undo `create_statements` (the migration's downgrade, a test's clean-up)."""
    if dialect == "postgresql":
        drops = [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in POSTGRESQL_TRIGGERS]
        return [*drops, f"DROP FUNCTION IF EXISTS {POSTGRESQL_FUNCTION}()"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
