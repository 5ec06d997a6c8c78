"""Imperative mappings of the domain's classes onto the tables, one module per context."""

from __future__ import annotations

from sqlalchemy.orm import configure_mappers

from infrastructure.db.mappings.chains import map_chains
from infrastructure.db.mappings.cultivation import map_cultivation
from infrastructure.db.mappings.identity import map_identity
from infrastructure.db.mappings.integration import map_integration
from infrastructure.db.mappings.planning import map_planning

_started = False


def start_mappers() -> None:
    """Map every domain class once per process (SQLAlchemy refuses to map a class twice)."""
    global _started
    if _started:
        return
    map_identity()
    map_planning()
    map_cultivation()
    map_chains()
    map_integration()
    # Complete the mapping now, not at the first ORM query: an entity built from a row (`detached`) in a
    # worker whose first requests are such reads would find its attributes without their implementation.
    configure_mappers()
    _started = True
