"""企业名录 imports write new enterprises in batches: the same answer, events, audit and search."""

from __future__ import annotations

import pytest

from domain.integration.handlers import imports
from infrastructure.db.tables import cultivation as t
from infrastructure.excel.lookups import LedgerLookups
from infrastructure.excel.units import SavepointRows
from tests.api.cultivation.helpers import CODE_A, CODE_B, register
from tests.api.ledgers.helpers import audit_actions, count, event_types, upload, workbook
from tests.support.accounts import user_headers

HEADER = ["企业名称", "统一社会信用代码", "注册日期", "所在组团", "是否上市", "股票代码"]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two rows, so that one sheet crosses several batch boundaries."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)


async def listed(client, headers, **params) -> list[dict]:
    response = await client.get("/api/v1/enterprises", params=params, headers=headers)
    return response.json()["items"]


async def test_batches_write_what_rows_one_by_one_would(app, client, officer, small_batches):
    content = workbook(
        [
            HEADER,
            ["甲公司", CODE_A, "2019-03-01", "高新科创城", "否", None],
            ["乙公司", None, None, None, "否", None],
            ["甲公司", None, "2020-01-02", None, "否", None],  # the first row's enterprise, not yet written
            ["丙公司", "bad", None, None, "否", None],  # refused: leaves nothing in its batch
            ["丁公司", CODE_B.lower(), None, None, "否", None],
            ["戊公司", None, None, None, "否", None],
        ]
    )
    response = await upload(client, "enterprises", content, officer, partial=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rows"], body["created"], body["updated"]) == (6, 4, 1)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(5, "统一社会信用代码")]
    by_name = {e["name"]: e for e in await listed(client, officer)}
    assert sorted(by_name) == ["丁公司", "乙公司", "戊公司", "甲公司"]
    assert by_name["甲公司"]["registered_on"] == "2020-01-02" and by_name["丁公司"]["credit_code"] == CODE_B
    # the search text is written with the batch: found by name and by code in lower case
    assert [e["name"] for e in await listed(client, officer, q=CODE_B.lower())] == ["丁公司"]
    assert [e["name"] for e in await listed(client, officer, q="戊")] == ["戊公司"]
    assert (await event_types(app)).count("enterprise.registered") == 4
    actions = await audit_actions(app)
    # created and changed in one unit of work: one entry, the creation (as row by row)
    assert (actions.count("enterprise.create"), actions.count("enterprise.update")) == (4, 0)
    auditor = await user_headers(app, client, "auditor", ["auditor"])
    verified = await client.get("/api/v1/audit-log/verify", headers=auditor)
    assert verified.status_code == 200 and verified.json()["valid"]  # the chain stays whole


async def test_a_batch_the_database_refuses_is_run_again_row_by_row(app, client, officer, monkeypatch):
    # Another writer registered 甲公司 after the sheet's keys were read: the index does not know it.
    await register(client, officer, name="甲公司", credit_code=CODE_A)

    async def nothing_known(self, codes, names):
        return []

    monkeypatch.setattr(LedgerLookups, "enterprises_by_keys", nothing_known)
    flushed: list[bool] = []
    flush = SavepointRows.flush

    async def noted_flush(self) -> bool:
        flushed.append(await flush(self))
        return flushed[-1]

    monkeypatch.setattr(SavepointRows, "flush", noted_flush)
    content = workbook(
        [
            HEADER,
            ["乙公司", CODE_B, None, None, "否", None],
            ["甲公司(新)", CODE_A, None, None, "否", None],
            ["丙公司", None, None, None, "否", None],
            ["丙公司", None, "2020-01-02", None, "否", None],  # the row above's enterprise, run again
        ]
    )
    refused = await upload(client, "enterprises", content, officer)
    assert refused.status_code == 422
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [(3, "统一社会信用代码")]
    assert await count(app, t.enterprises) == 1

    response = await upload(client, "enterprises", content, officer, partial=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["updated"]) == (2, 1)
    [error] = body["errors"]
    assert (error["row"], error["column"]) == (3, "统一社会信用代码") and "已登记" in error["message"]
    by_name = {e["name"]: e for e in await listed(client, officer)}
    assert sorted(by_name) == ["丙公司", "乙公司", "甲公司"]
    assert by_name["丙公司"]["registered_on"] == "2020-01-02"
    # the refused batch's first try left no event and no audit entry behind
    assert (await event_types(app)).count("enterprise.registered") == 3
    assert (await audit_actions(app)).count("enterprise.create") == 3
    assert [e["name"] for e in await listed(client, officer, q="乙")] == ["乙公司"]
    assert flushed == [False, False]  # each upload's one batch was refused, then its rows ran one by one


async def test_a_dry_run_in_batches_writes_nothing(app, client, officer, small_batches):
    rows = [[f"公司{n}", None, None, None, "否", None] for n in range(5)]
    response = await upload(client, "enterprises", workbook([HEADER, *rows]), officer, dry_run=True)
    assert response.status_code == 200 and response.json()["created"] == 5
    assert await count(app, t.enterprises) == 0 and await event_types(app) == []
