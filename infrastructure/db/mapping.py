"""Imperative mappings of the domain's classes onto the tables, one module per context."""

from __future__ import annotations

from infrastructure.db.mappings.identity import map_identity

_started = False


def start_mappers() -> None:
    """Map every domain class once per process (SQLAlchemy refuses to map a class twice)."""
    global _started
    if _started:
        return
    map_identity()
    _started = True
