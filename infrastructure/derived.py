"""Columns derived from an aggregate and stored beside it, written by the unit of work before each flush.

The explicit list of what is kept this way: today an enterprise's search text (what `q` searches: name,
aliases and credit code, lower-cased, since PostgreSQL's LIKE is case-sensitive). The column is mapped onto
the entity but is no field of the domain class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.cultivation.enterprises import Enterprise
from infrastructure.db.tables import cultivation as t

SEARCH_TEXT_LENGTH = t.enterprises.c.search_text.type.length


# Between the name, each alias and the credit code in `search_text`: a search for text holding one would
# match across two of them, so such a search finds nothing (`EnterpriseRepository.search`).
SEARCH_SEPARATOR = "\n"


def search_text(enterprise: Enterprise) -> str:
    parts = [enterprise.name, *enterprise.aliases, enterprise.credit_code or ""]
    return SEARCH_SEPARATOR.join(part for part in parts if part).lower()[:SEARCH_TEXT_LENGTH]


DERIVED: dict[type, dict[str, Callable[[Any], Any]]] = {
    Enterprise: {"search_text": search_text},
}


def keep_derived(objects) -> None:
    """Set every derived column of the objects about to be written (new or changed)."""
    for obj in objects:
        for attribute, derive in DERIVED.get(type(obj), {}).items():
            setattr(obj, attribute, derive(obj))
