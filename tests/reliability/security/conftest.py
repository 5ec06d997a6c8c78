"""Fixtures of the security regressions (issue 15): an admin and an auditor signed in over HTTP."""

from __future__ import annotations

import pytest

from tests.support.accounts import bearer, make_user


@pytest.fixture
async def admin(app, client) -> dict[str, str]:
    await make_user(app, "root", ["admin"])
    return await bearer(client, "root")


@pytest.fixture
async def auditor(app, client) -> dict[str, str]:
    await make_user(app, "shenji", ["auditor"])
    return await bearer(client, "shenji")
