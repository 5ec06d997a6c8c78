"""Finding 8: a small workbook that unpacks to hundreds of MiB is refused before it is parsed (413), and
one import may take GAOXIN_IMPORT_MAX_SECONDS at most (422): neither costs minutes of CPU any more."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from domain.integration import ledgers
from infrastructure.db.tables.cultivation import enterprises
from services.api.app import create_app
from tests.api.ledgers.helpers import count, upload, workbook
from tests.conftest import TEST_SECRET, make_settings
from tests.support.accounts import bearer, make_user
from tests.support.lifespan import running
from tests.support.workbooks import blank_rows, unpacked_size

MIB = 1024 * 1024


async def _served(database_url: str, **settings):
    app = create_app(make_settings(database_url, **settings))
    transport = httpx.ASGITransport(app=app)
    return app, httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_the_reported_bomb_is_refused_with_413_before_it_is_parsed(app, client, admin):
    bomb = blank_rows(300 * MIB)  # the finding: under 1 MiB on the wire, 300 MiB of blank rows inside
    assert len(bomb) < 2 * MIB and unpacked_size(bomb) > 300 * MIB
    response = await upload(client, "enterprises", bomb, admin)
    assert response.status_code == 413, response.text
    assert response.json()["type"] == "/problems/payload-too-large"
    assert "MiB" in response.json()["detail"]
    assert await count(app, enterprises) == 0


async def test_the_unpacked_cap_at_just_under_and_just_over_its_limit(database_url, admin):
    sheet = workbook([["企业名称"], ["甲公司"]])
    size = unpacked_size(sheet)
    for cap, expected in ((size + 1, 200), (size, 200), (size - 1, 413)):
        app, http = await _served(database_url, import_max_unpacked_bytes=cap)
        async with running(app), http:
            response = await upload(http, "enterprises", sheet, admin, dry_run=True)
        assert response.status_code == expected, (cap, size, response.text)


async def test_an_import_past_its_time_is_refused_with_422_and_writes_nothing(database_url):
    slow = blank_rows(40 * MIB)  # under the default size cap, but seconds of parsing
    app, http = await _served(database_url, import_max_seconds=0.5)
    async with running(app), http:
        await make_user(app, "officer_t", ["officer"])
        officer = await bearer(http, "officer_t")
        response = await upload(http, "enterprises", slow, officer)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["body", "file"]
        assert "0.5" in response.json()["detail"]
        assert await count(app, enterprises) == 0
        # The same service still imports an ordinary ledger within its time.
        fine = await upload(http, "enterprises", workbook([["企业名称"], ["乙公司"]]), officer)
        assert fine.status_code == 200, fine.text


def test_the_command_line_import_keeps_the_same_cap(database_url, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(blank_rows(300 * MIB))
    env = os.environ | {
        "GAOXIN_DATABASE_URL": database_url,
        "GAOXIN_ENVIRONMENT": "test",
        "GAOXIN_SECRET_KEY": TEST_SECRET,
    }
    command = [sys.executable, "-m", "services.cli", "import", "enterprises", str(bomb)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "MiB" in done.stderr, done.stderr


async def test_blank_rows_count_up_to_the_row_limit_and_no_further(client, admin, monkeypatch):
    monkeypatch.setattr(ledgers, "MAX_ROWS", 5)
    for blank, expected in ((4, 200), (5, 200), (6, 422)):
        sheet = blank_rows(count=blank, data="甲公司")
        response = await upload(client, "enterprises", sheet, admin, dry_run=True)
        assert response.status_code == expected, (blank, response.text)
        if expected == 200:
            assert response.json()["rows"] == 1
        else:
            assert "blank rows" in response.json()["errors"][0]["msg"]
