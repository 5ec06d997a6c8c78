"""Database faults under load: only 503s while PostgreSQL is cut off, back within 5 s, nothing lost."""

from __future__ import annotations

import time

import pytest

from tests.reliability.figures import FIGURES
from tests.reliability.scenarios import outage
from tests.support.databases import backend

pytestmark = pytest.mark.skipif(
    backend() != "postgresql",
    reason="needs PostgreSQL (GAOXIN_TEST_DATABASE_URL): SQLite is a local file, there is no link to cut",
)


async def test_cut_and_restore_under_load(database_url, app):
    # `app` only for its clean-up: the run writes through an app of its own, behind the proxy.
    began = time.monotonic()
    result = await outage.run(database_url, seconds=6, workers=6, up=1.0, down=1.5)
    outage.record(FIGURES, result, time.monotonic() - began)

    assert result.windows, "the database was never cut"
    assert result.while_down(), "no request was answered while the database was cut off"
    assert result.problems() == []
    assert result.statuses[201] > 0 and result.statuses[503] > 0
