"""Online backup of the embedded SQLite database (PostgreSQL: pg_dump, see docs/DEPLOYMENT.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupRefused(Exception):
    """The configured database is not one this command backs up."""


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the live database page by page (writers may go on meanwhile); return the pages copied."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupRefused(
            "gaoxin backup copies the embedded SQLite database; for PostgreSQL use "
            "pg_dump --format=custom (docs/DEPLOYMENT.md)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database)
    copy = sqlite3.connect(target)
    pages = 0

    def progress(_status, remaining, total):
        nonlocal pages
        pages = total - remaining

    try:
        with copy:
            source.backup(copy, pages=1024, progress=progress)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError(f"the backup at {target} failed its integrity check")
    finally:
        copy.close()
        source.close()
    return pages
