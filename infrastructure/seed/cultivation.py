"""Seed loader of the cultivation context: the enterprises the plan names (data/enterprises.yaml); idempotent.

One record each, with the other names the plan uses for it (aliases), a cluster only where the plan
places it, `listed` only for the four it calls listed — nothing else: the plan gives no credit codes,
dates or figures, and none is invented. An enterprise already registered under the name is left alone.
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.cultivation.enterprises import Enterprise
from infrastructure.seed import DATA
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

ACTOR = "seed"


def records() -> list[dict[str, Any]]:
    """The enterprises of data/enterprises.yaml (the `mentions` are sources for people, not data)."""
    return yaml.safe_load((DATA / "enterprises.yaml").read_text(encoding="utf-8"))["enterprises"]


async def seed(session_factory: async_sessionmaker) -> int:
    """Register the enterprises missing by name (`enterprise.registered` each); return how many."""
    written = 0
    async with SqlAlchemyUnitOfWork(session_factory, actor=ACTOR) as uow:
        for record in records():
            if await uow.enterprises.by_name(record["name"]) is not None:
                continue
            details = {key: record[key] for key in ("aliases", "cluster", "listed") if key in record}
            uow.enterprises.add(Enterprise.register(record["name"], **details))
            written += 1
        if written:
            await uow.commit()
    return written
