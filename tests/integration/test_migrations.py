"""Alembic is the only way the schema changes: every step goes up and down, and the models agree."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

import infrastructure.db.tables  # noqa: F401
from infrastructure.db.metadata import metadata
from infrastructure.db.migrate import alembic_config, downgrade_async, upgrade_async
from tests.support.databases import fresh_database


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


async def test_there_is_exactly_one_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


async def test_stairway_each_revision_up_down_up(tmp_path):
    async with fresh_database(tmp_path, "stairway") as url:
        previous = "base"
        for revision in _revisions():
            await upgrade_async(url, revision)
            await downgrade_async(url, previous)
            await upgrade_async(url, revision)
            previous = revision


def _differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, metadata)


async def test_models_and_migrations_agree(database_url):
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == [], f"autogenerate would change the schema: {differences}"


@pytest.mark.parametrize("revision", _revisions())
async def test_every_revision_has_a_downgrade(revision):
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    module = script.get_revision(revision).module
    assert callable(module.downgrade)
