"""Fixtures of the integration context's tests: an admin's headers and an in-process relay."""

from __future__ import annotations

import httpx
import pytest

from infrastructure.outbox.relay import Relay
from tests.conftest import make_settings
from tests.support.accounts import bearer, make_user

BACKOFF = [0.0, 0.0, 0.0]
LOOPBACK = "127.0.0.0/8"  # the receivers here listen on loopback, which only development allows by itself


@pytest.fixture
def settings(database_url):
    return make_settings(database_url, webhook_allowed_networks=LOOPBACK)


@pytest.fixture
async def admin(app, client) -> dict[str, str]:
    await make_user(app, "root", ["admin"])
    return await bearer(client, "root")


@pytest.fixture
async def relay(app):
    async with httpx.AsyncClient(timeout=2.0) as http:
        yield Relay(app.state.session_factory, backoff=BACKOFF, http=http, targets=app.state.webhook_targets)
