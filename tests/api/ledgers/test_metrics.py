"""年度经营数据 over HTTP: figures by (enterprise, year), sensitive in exports, and their reads audited."""

from __future__ import annotations

import pytest

from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import CODE_A, CODE_B, audit_entries, register
from tests.api.ledgers.helpers import count, export, first_sheet, upload, workbook

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "年度",
    "营业收入(万元)",
    "研发费用",
    "职工总数(人)",
    "科技人员数(人)",
    "获奖",
]


@pytest.fixture
async def enterprises(client, officer) -> dict[str, dict]:
    return {
        "a": await register(client, officer, name="甲公司", credit_code=CODE_A),
        "b": await register(client, officer, name="乙公司"),
    }


async def metrics(client, headers, enterprise: dict, year: int) -> dict:
    response = await client.get(f"/api/v1/enterprises/{enterprise['id']}/metrics/{year}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_import_writes_records_found_by_code_or_name(client, officer, enterprises):
    content = workbook(
        [
            HEADER,
            [None, CODE_A, 2023, 12000.5, "800", 120, 30, "是"],
            ["乙公司", None, 2023, 3000, None, 20, 5, "否"],
            ["乙公司", None, 2024, "1,234.56", None, None, None, None],
        ]
    )
    response = await upload(client, "metrics", content, officer)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    a = await metrics(client, officer, enterprises["a"], 2023)
    assert (a["revenue"], a["rd_expense"], a["employees"], a["tech_staff"], a["award"]) == (
        "12000.5",
        "800",
        120,
        30,
        True,
    )
    assert (await metrics(client, officer, enterprises["b"], 2024))["revenue"] == "1234.56"


async def test_a_column_left_out_keeps_its_figures(client, officer, enterprises):
    url = f"/api/v1/enterprises/{enterprises['a']['id']}/metrics/2023"
    assert (await client.put(url, json={"revenue": "100", "tax": "7"}, headers=officer)).status_code == 201
    content = workbook([["统一社会信用代码", "年度", "营业收入"], [CODE_A, 2023, 150]])
    assert (await upload(client, "metrics", content, officer)).json()["updated"] == 1
    record = await metrics(client, officer, enterprises["a"], 2023)
    assert (record["revenue"], record["tax"]) == ("150", "7")


async def test_bad_rows_name_their_column_and_nothing_is_written(app, client, officer, enterprises):
    content = workbook(
        [
            HEADER,
            ["丙公司", None, 2023, 1, None, None, None, None],  # not registered
            [None, CODE_A, 2023, -5, None, None, None, None],
            [None, CODE_A, 2022, None, None, 10, 11, None],  # more tech staff than employees
            [None, CODE_B, 2023, 1, None, None, None, None],  # a code nobody has
            ["甲公司", CODE_A, 1980, 1, None, None, None, None],
        ]
    )
    response = await upload(client, "metrics", content, officer)
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (2, "企业名称"),
        (3, "营业收入(万元)"),
        (4, "科技人员数(人)"),
        (5, "统一社会信用代码"),
        (6, "年度"),
    ]
    assert await count(app, t.annual_metrics) == 0


async def test_figures_follow_the_callers_rights_and_an_entitled_export_is_audited(
    app, client, officer, viewer, enterprises
):
    url = f"/api/v1/enterprises/{enterprises['a']['id']}/metrics/2023"
    assert (await client.put(url, json={"revenue": "100", "award": True}, headers=officer)).status_code == 201
    reads = len(await audit_entries(app, "enterprise.read_sensitive"))
    hidden = first_sheet(await export(client, "metrics", viewer))
    [row] = hidden
    assert (row.pop("企业名称"), row.pop("统一社会信用代码"), row.pop("年度")) == ("甲公司", CODE_A, 2023)
    assert len(row) == 18 and set(row.values()) == {None}  # every figure blank
    assert len(await audit_entries(app, "enterprise.read_sensitive")) == reads
    shown = first_sheet(await export(client, "metrics", officer))
    assert shown[0]["营业收入(万元)"] == 100 and shown[0]["获奖"] == "是"
    [entry] = (await audit_entries(app, "enterprise.read_sensitive"))[reads:]
    assert entry.resource_id == enterprises["a"]["id"] and entry.actor == "officer"
    assert entry.after["view"] == "export" and entry.after["years"] == [2023]


async def test_export_reimports_unchanged(client, officer, enterprises):
    for enterprise, year, body in [
        (
            "a",
            2022,
            {"revenue": "1234.5", "employees": 10, "runs_platform": False, "innovation_score": "87.25"},
        ),
        ("a", 2023, {"revenue": "123456789012345678.123456", "tax": "0.000001"}),
        ("b", 2023, {}),
    ]:
        url = f"/api/v1/enterprises/{enterprises[enterprise]['id']}/metrics/{year}"
        assert (await client.put(url, json=body, headers=officer)).status_code == 201
    content = await export(client, "metrics", officer)
    report = (await upload(client, "metrics", content, officer, dry_run=True)).json()
    assert (report["rows"], report["written"], report["errors"]) == (3, 0, [])


async def test_only_officers_import_figures(client, planner, viewer, enterprises):
    content = workbook([HEADER, ["甲公司", None, 2023, 1, None, None, None, None]])
    for headers in (planner, viewer):
        assert (await upload(client, "metrics", content, headers)).status_code == 403
