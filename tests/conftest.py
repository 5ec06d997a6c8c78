"""Fixtures shared by the database rings: one migrated database a session, emptied after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from infrastructure.db.migrate import upgrade_async
from infrastructure.settings import Settings
from services.api.app import create_app
from tests.support.databases import empty_tables, fresh_database
from tests.support.lifespan import running

TEST_SECRET = "test-secret-key-of-more-than-thirty-two-characters"


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory) -> AsyncIterator[str]:
    async with fresh_database(tmp_path_factory.mktemp("db")) as url:
        await upgrade_async(url)
        yield url


def make_settings(database_url: str, **overrides) -> Settings:
    # Argon2 at its lowest cost: the tests sign in hundreds of times; production keeps the default.
    values = {"environment": "test", "password_memory_kib": 1024, "password_time_cost": 1} | overrides
    return Settings(database_url=database_url, secret_key=TEST_SECRET, **values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def app(settings: Settings):
    application = create_app(settings)
    async with running(application):
        yield application
        await empty_tables(application)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
