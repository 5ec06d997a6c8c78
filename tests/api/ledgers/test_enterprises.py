"""企业名录 in and out over HTTP: upserts, all or nothing, partial, dry run, what a bad sheet gets."""

from __future__ import annotations

from domain.integration.handlers import exports
from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import CODE_A, CODE_B, corrupt, register
from tests.api.ledgers.helpers import audit_actions, count, event_types, export, first_sheet, upload, workbook

HEADER = ["企业名称", "统一社会信用代码", "注册日期", "所在组团", "是否上市", "股票代码"]


async def names(client, headers) -> list[str]:
    listed = (await client.get("/api/v1/enterprises", headers=headers)).json()["items"]
    return sorted(e["name"] for e in listed)


async def test_import_registers_enterprises_with_events_and_audit(app, client, officer):
    content = workbook(
        [
            HEADER,
            ["鞍山激光科技有限公司", CODE_A, "2019-03-01", "高新科创城", "否", None],
            ["鞍山聚龙股份有限公司", CODE_B.lower(), "2001年5月20日", None, "是", "300202"],
        ]
    )
    response = await upload(client, "enterprises", content, officer)
    assert response.status_code == 200, response.text
    assert response.json() | {"errors": []} == {
        "rows": 2,
        "written": 2,
        "created": 2,
        "updated": 0,
        "dry_run": False,
        "ignored_columns": [],
        "errors": [],
    }
    listed = {
        e["name"]: e for e in (await client.get("/api/v1/enterprises", headers=officer)).json()["items"]
    }
    laser, julong = listed["鞍山激光科技有限公司"], listed["鞍山聚龙股份有限公司"]
    assert laser["registered_on"] == "2019-03-01" and laser["cluster"] == "高新科创城" and not laser["listed"]
    assert julong["credit_code"] == CODE_B and julong["registered_on"] == "2001-05-20"
    assert julong["listed"] and julong["stock_code"] == "300202"
    assert (await event_types(app)).count("enterprise.registered") == 2
    assert (await audit_actions(app)).count("enterprise.create") == 2


async def test_second_import_updates_by_credit_code_then_by_name_and_unchanged_rows_write_nothing(
    client, officer
):
    first = workbook(
        [HEADER, ["甲公司", CODE_A, None, None, "否", None], ["乙公司", None, None, None, "否", None]]
    )
    assert (await upload(client, "enterprises", first, officer)).json()["created"] == 2
    again = workbook(
        [
            HEADER,
            ["甲公司(更名)", CODE_A, None, None, "否", None],  # found by its code: renamed
            ["乙公司", CODE_B, "2020-01-02", None, "否", None],  # found by its name: gets its code
            ["甲公司(更名)", CODE_A, None, None, "否", None],  # the same again: nothing to write
        ]
    )
    report = (await upload(client, "enterprises", again, officer)).json()
    assert (report["rows"], report["created"], report["updated"], report["written"]) == (3, 0, 2, 2)
    assert await names(client, officer) == ["乙公司", "甲公司(更名)"]
    listed = (await client.get("/api/v1/enterprises", params={"q": "乙公司"}, headers=officer)).json()
    assert listed["items"][0]["credit_code"] == CODE_B and listed["items"][0]["registered_on"] == "2020-01-02"


async def test_a_blank_cell_clears_an_optional_field_but_keeps_one_that_cannot_be_empty(client, officer):
    await register(
        client, officer, name="甲公司", credit_code=CODE_A, status="moved_out", cluster="高新科创城"
    )
    content = workbook(
        [
            ["企业名称", "统一社会信用代码", "企业状态", "所在组团", "是否上市"],
            ["甲公司", None, None, None, None],
        ]
    )
    assert (await upload(client, "enterprises", content, officer)).json()["updated"] == 1
    [kept] = (await client.get("/api/v1/enterprises", headers=officer)).json()["items"]
    assert (kept["credit_code"], kept["status"], kept["cluster"], kept["listed"]) == (
        CODE_A,
        "moved_out",
        None,
        None,  # still not known: a blank cell says nothing of it
    )


async def test_english_field_names_are_headers_too(client, officer):
    content = workbook(
        [["name", "credit_code", "registered_on", "listed"], ["丙公司", CODE_A, "2021-05-20", "no"]]
    )
    response = await upload(client, "enterprises", content, officer)
    assert response.status_code == 200 and response.json()["created"] == 1
    assert (await client.get("/api/v1/enterprises", headers=officer)).json()["items"][0]["registered_on"] == (
        "2021-05-20"
    )


async def test_one_bad_row_refuses_the_whole_sheet_naming_row_and_column(app, client, officer):
    content = workbook(
        [
            HEADER,
            ["甲公司", CODE_A, None, None, "否", None],
            ["乙公司", corrupt(CODE_B), None, None, "否", None],
        ]
    )
    response = await upload(client, "enterprises", content, officer)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["rows"] == 2 and body["written"] == 0
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "统一社会信用代码")]
    assert "校验码" in body["errors"][0]["message"]
    assert await count(app, t.enterprises) == 0
    assert "enterprise.registered" not in await event_types(app)
    english = await upload(client, "enterprises", content, officer | {"Accept-Language": "en"})
    assert "check character" in english.json()["errors"][0]["message"]


async def test_partial_writes_the_good_rows_and_reports_the_bad(app, client, officer):
    content = workbook(
        [
            HEADER,
            ["甲公司", CODE_A, None, None, "否", None],
            ["乙公司", None, "明天", None, "否", None],
            [None, CODE_B, None, None, "否", None],
            ["丁公司", None, None, "不存在的组团", "否", None],
        ]
    )
    response = await upload(client, "enterprises", content, officer, partial=True)
    assert response.status_code == 200
    body = response.json()
    assert (body["rows"], body["written"]) == (4, 1)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "注册日期"),
        (4, "企业名称"),
        (5, "所在组团"),
    ]
    assert await names(client, officer) == ["甲公司"]
    # a refused row leaves no event and no audit entry behind
    assert (await event_types(app)).count("enterprise.registered") == 1
    assert (await audit_actions(app)).count("enterprise.create") == 1


async def test_dry_run_reports_what_would_be_written_and_writes_nothing(app, client, officer):
    content = workbook(
        [HEADER, ["甲公司", CODE_A, None, None, "否", None], ["乙公司", "bad", None, None, "否", None]]
    )
    response = await upload(client, "enterprises", content, officer, dry_run=True)
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] and body["written"] == 1 and [e["row"] for e in body["errors"]] == [3]
    assert await count(app, t.enterprises) == 0 and await event_types(app) == []


async def test_export_reimports_unchanged(client, officer, viewer):
    await register(
        client, officer, name="鞍山激光科技有限公司", credit_code=CODE_A, registered_on="2019-03-01"
    )
    await register(
        client,
        officer,
        name="聚龙股份",
        credit_code=CODE_B,
        cluster="高新科创城",
        listed=True,
        stock_code="300202",
        listed_on="2011-03-29",
        aliases=["聚龙集团", "聚龙"],
        status="moved_out",
    )
    await register(client, officer, name="无代码公司")
    content = await export(client, "enterprises", viewer)
    rows = first_sheet(content)
    assert [r["企业名称"] for r in rows] == ["鞍山激光科技有限公司", "聚龙股份", "无代码公司"]
    assert (
        rows[1]["企业别名"] == "聚龙集团、聚龙"
        and rows[1]["企业状态"] == "已迁出"
        and rows[1]["当前梯度"] == "无"
    )
    dry = await upload(client, "enterprises", content, officer, dry_run=True)
    assert dry.status_code == 200 and dry.json()["written"] == 0 and dry.json()["errors"] == []
    real = await upload(client, "enterprises", content, officer)
    assert real.json()["written"] == 0 and real.json()["rows"] == 3


async def test_english_export_reimports_unchanged(client, officer):
    await register(client, officer, name="甲公司", credit_code=CODE_A, listed=True, stock_code="600001")
    content = await export(client, "enterprises", officer | {"Accept-Language": "en"})
    assert first_sheet(content)[0]["name"] == "甲公司" and first_sheet(content)[0]["listed"] == "yes"
    assert (await upload(client, "enterprises", content, officer, dry_run=True)).json()["written"] == 0


async def test_export_read_in_batches_lists_every_enterprise_with_its_own_tier(client, officer, monkeypatch):
    names = ["甲", "乙", "丙", "丁", "戊"]
    ids = [(await register(client, officer, name=f"{name}科技有限公司"))["id"] for name in names]
    for enterprise_id in ids[1::2]:  # 乙 and 丁 (in registration order) hold a tech_sme certificate
        response = await client.post(
            f"/api/v1/enterprises/{enterprise_id}/certifications",
            json={"kind": "tech_sme", "issued_on": "2024-04-01"},  # valid on the ledgers' day, 2024-06-15
            headers=officer,
        )
        assert response.status_code == 201, response.text
    whole = first_sheet(await export(client, "enterprises", officer))
    monkeypatch.setattr(exports, "EXPORT_BATCH", 2)  # 5 enterprises: batches of 2, 2 and 1
    batched = first_sheet(await export(client, "enterprises", officer))
    assert batched == whole
    tiers = {row["企业名称"][0]: row["当前梯度"] for row in batched}
    assert tiers == {"甲": "无", "乙": "科技型中小企业", "丙": "无", "丁": "科技型中小企业", "戊": "无"}
