"""Run Alembic from code: `gaoxin migrate`, `gaoxin serve` on an empty database, and the tests.

Alembic's env.py runs its own event loop, so async callers run it in a thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

import migrations
from infrastructure.db.engine import ensure_sqlite_folder

SCRIPT_LOCATION = str(Path(migrations.__file__).resolve().parent)


def alembic_config(database_url: str) -> Config:
    ensure_sqlite_folder(database_url)
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(database_url), revision)


async def downgrade_async(database_url: str, revision: str) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), revision)
