"""Alembic environment: async, against GAOXIN_DATABASE_URL unless the caller passes a URL."""

import asyncio
import os

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure.db.metadata import metadata
from infrastructure.db.tables import *  # noqa: F403  (registers every table on metadata)
from infrastructure.settings import get_settings

config = context.config
target_metadata = metadata


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Authoring aid: GAOXIN_MIGRATION_TABLES=a,b limits autogenerate to those tables."""
    only = os.environ.get("GAOXIN_MIGRATION_TABLES")
    if not only or type_ != "table":
        return True
    return name in only.split(",")


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
    )


def _run_sync(connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
    else:
        asyncio.run(_run_async())
