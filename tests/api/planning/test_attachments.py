"""Evidence attachments over HTTP: upload (type and size checked, sha256 kept), download, use in reports."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from infrastructure.db.tables.planning import attachments
from tests.api.planning.conftest import make_task

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


async def upload(
    client, headers, content: bytes, content_type: str = "application/pdf", name: str = "验收报告.pdf"
):
    return await client.post(
        "/api/v1/attachments", files={"file": (name, content, content_type)}, headers=headers
    )


async def stored(app) -> int:
    async with app.state.session_factory() as session:
        return (await session.execute(select(func.count()).select_from(attachments))).scalar_one()


async def test_upload_then_download_the_same_bytes(client, staff, viewer):
    response = await upload(client, staff, PDF)
    assert response.status_code == 201 and response.headers["etag"]
    body = response.json()
    assert body == {
        "id": body["id"],
        "name": "验收报告.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    download = await client.get(f"/api/v1/attachments/{body['id']}", headers=viewer)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "%E9%AA%8C%E6%94%B6" in disposition
    assert (await client.get("/api/v1/attachments/nope", headers=viewer)).status_code == 404


async def test_refused_types_and_disguised_files_are_422_and_nothing_is_kept(app, client, staff):
    exe = await upload(client, staff, b"MZ\x90\x00", "application/x-msdownload", "a.exe")
    assert exe.status_code == 422 and exe.json()["errors"][0]["loc"] == ["body", "file"]
    disguised = await upload(client, staff, b"<html><script>", "application/pdf", "a.pdf")
    assert disguised.status_code == 422
    empty = await upload(client, staff, b"", "text/plain", "a.txt")
    assert empty.status_code == 422
    assert await stored(app) == 0


async def test_a_file_over_10_mib_is_413_and_nothing_is_kept(app, client, staff):
    response = await upload(client, staff, PDF + b"\0" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert await stored(app) == 0


async def test_a_viewer_cannot_upload(client, viewer):
    assert (await upload(client, viewer, PDF)).status_code == 403


async def test_a_report_carries_its_evidence(client, planner, staff, plan, department):
    task = await make_task(client, planner, plan["id"], lead_department_id=department.id)
    attachment = (await upload(client, staff, PDF)).json()
    report = await client.post(
        f"/api/v1/tasks/{task['id']}/progress-reports",
        json={"period": "2024-05", "percent": 50, "summary": "已验收", "attachment_ids": [attachment["id"]]},
        headers=staff,
    )
    assert report.status_code == 201 and report.json()["attachment_ids"] == [attachment["id"]]
