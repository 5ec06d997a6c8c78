"""GET /plans/{id}/evaluation.docx: the final evaluation report of the seeded plan with the sample data set
opens in python-docx and prints only numbers that GET /plans/{id}/evaluation answers; errors and permission
as the JSON evaluation's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document

from infrastructure.sample import load_sample
from infrastructure.seed import seed_all
from tests.support.accounts import bearer, make_user
from tests.support.days import app_on
from tests.support.docx_reading import body_numbers, numbers_in, printed_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# After the plan's end: the 2025 evaluation is the final one, taken as of 2025-12-31.
TODAY = date(2026, 1, 20)


@pytest.fixture
async def app(settings):
    async with app_on(settings, TODAY) as application:
        yield application


@pytest.fixture
async def viewer(app, client) -> dict[str, str]:
    await make_user(app, "viewer", ["viewer"])
    return await bearer(client, "viewer")


@pytest.fixture
async def plan(app, client, viewer) -> dict:
    """The seeded plan with the sample data set on top (departments, leads, reports, registry, chains)."""
    factory = app.state.session_factory
    await seed_all(factory)
    assert await load_sample(factory, hasher=app.state.hasher, today=TODAY, now=datetime.now(UTC))
    [found] = (await client.get("/api/v1/plans", headers=viewer)).json()["items"]
    return found


def allowed(body: dict) -> set[Decimal]:
    """The body's numbers, and the one date the document adds: the day it was generated."""
    return body_numbers(body) | {Decimal(TODAY.year), Decimal(TODAY.month), Decimal(TODAY.day)}


async def test_the_final_report_of_the_seeded_plan_prints_the_evaluations_numbers(client, viewer, plan):
    url = f"/api/v1/plans/{plan['id']}/evaluation"
    body = (await client.get(f"{url}?year=2025", headers=viewer)).json()
    assert body["kind"] == "final" and body["as_of"] == "2025-12-31"
    assert (
        body["behind_schedule"] and body["chains"]["items"] and sum(body["cultivation"]["by_tier"].values())
    )

    response = await client.get(f"{url}.docx?year=2025", headers=viewer)
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="evaluation-2025-final.docx"')
    assert "filename*=UTF-8''" in disposition

    document = Document(BytesIO(response.content))
    cover = [p.text for p in document.paragraphs[:30]]
    assert plan["title"] in cover and "终期评估报告" in cover and "数据截至：2025年12月31日" in cover
    assert len(document.inline_shapes) >= 5  # the charts, as pictures

    texts = printed_text(response.content)
    printed = {n.normalize() for text in texts for n in numbers_in(text)}
    assert printed and printed - allowed(body) == set()
    joined = "\n".join(texts)
    for indicator in body["indicators"]:  # and the other way round: each indicator's own figures are there
        for key in ("baseline_value", "target_value", "actual_value"):
            if indicator[key] is not None:
                assert indicator[key] in joined, (indicator["code"], key)
    for group in body["behind_schedule"]:
        assert all(task["title"] in joined for task in group["tasks"])


async def test_the_mid_term_report_is_titled_so(client, viewer, plan):
    response = await client.get(f"/api/v1/plans/{plan['id']}/evaluation.docx?year=2023", headers=viewer)
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    assert "中期评估报告" in [p.text for p in document.paragraphs[:30]]
    assert 'filename="evaluation-2023-mid_term.docx"' in response.headers["content-disposition"]


async def test_an_unknown_plan_is_404_a_year_outside_it_422_as_the_json_evaluation(client, viewer, plan):
    url = f"/api/v1/plans/{plan['id']}/evaluation"
    for year in (2020, 2026):
        json_answer = await client.get(f"{url}?year={year}", headers=viewer)
        docx_answer = await client.get(f"{url}.docx?year={year}", headers=viewer)
        assert docx_answer.status_code == json_answer.status_code == 422
        assert docx_answer.json()["errors"][0]["loc"][-1] == "year"
    missing = await client.get("/api/v1/plans/nope/evaluation.docx?year=2025", headers=viewer)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    no_year = await client.get(f"{url}.docx", headers=viewer)
    assert no_year.status_code == 422


async def test_read_permission_is_needed(app, client, plan):
    url = f"/api/v1/plans/{plan['id']}/evaluation.docx?year=2025"
    assert (await client.get(url)).status_code == 401
    await make_user(app, "auditor", ["auditor"])  # the audit log only: no read of the plan
    response = await client.get(url, headers=await bearer(client, "auditor"))
    assert response.status_code == 403


async def test_the_successor_plans_first_report_renders_with_no_target_set(app, client, viewer, plan):
    """A successor plan's indicators wait for their targets (null): its report still renders, and still prints
    only the evaluation's numbers."""
    await make_user(app, "planner", ["planner"])
    body = {"title": "十五五规划", "start_year": 2026, "end_year": 2030, "carry_over": True}
    created = await client.post(
        f"/api/v1/plans/{plan['id']}/successor", json=body, headers=await bearer(client, "planner")
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/plans/{created.json()['id']}/evaluation"
    evaluation = (await client.get(f"{url}?year=2026", headers=viewer)).json()
    assert evaluation["kind"] == "annual" and {i["target_value"] for i in evaluation["indicators"]} == {None}
    response = await client.get(f"{url}.docx?year=2026", headers=viewer)
    assert response.status_code == 200
    assert "2026年度评估报告" in [p.text for p in Document(BytesIO(response.content)).paragraphs[:30]]
    printed = {n.normalize() for text in printed_text(response.content) for n in numbers_in(text)}
    assert printed - allowed(evaluation) == set()
