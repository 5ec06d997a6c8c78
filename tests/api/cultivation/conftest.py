"""Fixtures of the cultivation API tests: an officer, a viewer, and helpers that go through real HTTP."""

from __future__ import annotations

import pytest

from tests.support.accounts import bearer, make_user


@pytest.fixture
async def officer(app, client) -> dict[str, str]:
    await make_user(app, "officer_li", ["officer"])
    return await bearer(client, "officer_li")


@pytest.fixture
async def viewer(app, client) -> dict[str, str]:
    await make_user(app, "viewer_wang", ["viewer"])
    return await bearer(client, "viewer_wang")
