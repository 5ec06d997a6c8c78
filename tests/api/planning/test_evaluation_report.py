"""The evaluation's report parts, checked against the data each test writes: the tasks behind schedule by
lead department, the extensions granted, the tier pyramid against indicator 8, the chains taken today.

"Today" is 2024-06-15 (tests/api/planning/conftest.py): the 2023 evaluation is taken as of 2023-12-31.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from infrastructure.db.tables.planning import extension_requests
from services.api.schemas.evaluation import EvaluationReportOut
from tests.api.chains.conftest import CHAINS, new_chain, new_node, register
from tests.api.planning.conftest import make_task
from tests.support.accounts import bearer, make_user

LEADS = ("id", "code", "lead_department_id", "lead_department_name", "warning")


@pytest.fixture
async def admin(app, client) -> dict[str, str]:
    await make_user(app, "root", ["admin"])
    return await bearer(client, "root")


@pytest.fixture
async def tasks(app, client, planner, staff, outsider, plan, department, other_department) -> dict:
    """A key task of five sections; on 2023-12-31 1.1 and 1.2 are yellow, 1.4 and 1.5 red, 1.3 green."""
    key = await make_task(
        client, planner, plan["id"], code="1", title="重点任务", lead_department_id=department.id
    )

    async def section(code: str, **fields) -> dict:
        return await make_task(client, planner, plan["id"], parent_id=key["id"], code=code, **fields)

    made = {
        "1": key,
        # due 2023-06-30, extended on 2023-05-20 to 2024-06-30: on D not overdue, 86 % of its time gone
        "1.1": await section(
            "1.1", lead_department_id=department.id, start_date="2021-01-01", due_date="2023-06-30"
        ),
        "1.2": await section(
            "1.2", lead_department_id=other_department.id, start_date="2021-01-01", due_date="2025-12-31"
        ),
        "1.3": await section("1.3"),  # no dates, nothing due: green
        # due 2023-03-31, extended on 2024-03-01 to 2023-09-30: on D it was overdue
        "1.4": await section("1.4", lead_department_id=other_department.id, due_date="2023-03-31"),
        "1.5": await section("1.5", due_date="2023-03-31"),  # no lead department
    }
    made["granted"] = await _extend(client, staff, planner, made["1.1"], "2024-06-30", note="设备延迟到货")
    made["late"] = await _extend(client, outsider, planner, made["1.4"], "2023-09-30")
    # Dated in the plan's time (the test clock's "now" is the real one): 1.1's before D, 1.4's after it
    for request, decided_at in (
        (made["granted"], datetime(2023, 5, 20, 2)),
        (made["late"], datetime(2024, 3, 1)),
    ):
        async with app.state.session_factory() as session:
            await session.execute(
                update(extension_requests)
                .where(extension_requests.c.id == request["id"])
                .values(decided_at=decided_at.replace(tzinfo=UTC))
            )
            await session.commit()
    return made


async def _extend(client, asker, planner, task, new_due_date, note=None) -> dict:
    body = {"new_due_date": new_due_date, "reason": "理由"}
    asked = await client.post(f"/api/v1/tasks/{task['id']}/extension-requests", json=body, headers=asker)
    assert asked.status_code == 201, asked.text
    url = f"/api/v1/extension-requests/{asked.json()['id']}/decision"
    decided = await client.post(url, json={"approved": True, "note": note}, headers=planner)
    assert decided.status_code == 200, decided.text
    return decided.json()


async def evaluation(client, headers, plan, year: int) -> dict:
    response = await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year={year}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_tasks_behind_schedule_by_lead_department_and_the_sections(
    client, viewer, plan, tasks, department, other_department
):
    body = await evaluation(client, viewer, plan, 2023)
    assert (body["kind"], body["as_of"]) == ("mid_term", "2023-12-31")
    groups = [
        (g["lead_department_id"], g["lead_department_name"], [t["code"] for t in g["tasks"]])
        for g in body["behind_schedule"]
    ]
    assert groups == [
        (department.id, "科技创新局", ["1", "1.1"]),  # the key task: red, as its worst section
        (other_department.id, "经济发展局", ["1.2", "1.4"]),
        (None, None, ["1.5"]),
    ]
    lights = {t["code"]: t["warning"] for g in body["behind_schedule"] for t in g["tasks"]}
    assert lights == {"1": "red", "1.1": "yellow", "1.2": "yellow", "1.4": "red", "1.5": "red"}
    by_code = {t["code"]: t for g in body["behind_schedule"] for t in g["tasks"]}
    # as they stood on D: 1.1 already extended, 1.4 not yet (its extension came after D)
    assert (by_code["1.1"]["due_date"], by_code["1.1"]["overdue"]) == ("2024-06-30", False)
    assert (by_code["1.4"]["due_date"], by_code["1.4"]["overdue"]) == ("2023-03-31", True)
    assert sum(len(g["tasks"]) for g in body["behind_schedule"]) == (
        body["counts"]["warning"]["red"] + body["counts"]["warning"]["yellow"]
    )

    [key] = body["tasks"]
    assert {k: key[k] for k in LEADS} == {
        "id": tasks["1"]["id"],
        "code": "1",
        "lead_department_id": department.id,
        "lead_department_name": "科技创新局",
        "warning": "red",
    }
    assert [s["code"] for s in key["sections"]] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert key["sections"][2]["warning"] == "green" and key["sections"][2]["lead_department_name"] is None


async def test_the_body_is_the_schemas_own_dump_of_it_key_for_key_in_order(client, viewer, plan, tasks):
    """The report's task records are written in their JSON form directly (evaluation_body.py): the schema,
    validating and dumping the served body, gives the same text back."""
    for year in (2023, 2025):
        response = await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year={year}", headers=viewer)
        body = response.json()
        assert body["behind_schedule"] and body["tasks"][0]["sections"]
        dumped = EvaluationReportOut.model_validate(body).model_dump(mode="json")
        assert json.dumps(dumped, ensure_ascii=False) == json.dumps(body, ensure_ascii=False)


async def test_the_extensions_granted_up_to_the_day_of_the_evaluation(client, viewer, plan, tasks):
    body = await evaluation(client, viewer, plan, 2023)
    assert body["extensions"] == [
        {
            "task_id": tasks["1.1"]["id"],
            "code": "1.1",
            "title": "任务",
            "request_id": tasks["granted"]["id"],
            "previous_due_date": "2023-06-30",
            "new_due_date": "2024-06-30",
            "decided_on": "2023-05-20",
            "note": "设备延迟到货",
        }
    ]
    # as of 2024-06-15 the second one, decided on 2024-03-01, is granted too
    today = await evaluation(client, viewer, plan, 2024)
    assert [(x["code"], x["previous_due_date"], x["new_due_date"]) for x in today["extensions"]] == [
        ("1.1", "2023-06-30", "2024-06-30"),
        ("1.4", "2023-03-31", "2023-09-30"),
    ]
    assert today["kind"] == "annual"


async def _certify(client, headers, enterprise_id: str, **body) -> None:
    url = f"/api/v1/enterprises/{enterprise_id}/certifications"
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text


async def test_the_tier_pyramid_on_the_day_against_indicator_8(app, client, admin, planner, viewer, plan):
    hnte = await register(app, "鞍山高新一号")
    small = await register(app, "鞍山科技小微")
    later = await register(app, "鞍山后来高企")
    await register(app, "鞍山普通企业")
    await _certify(client, admin, hnte.id, kind="hnte", issued_on="2021-11-24")
    await _certify(client, admin, small.id, kind="tech_sme", issued_on="2023-05-10")  # to 2023-12-31
    await _certify(client, admin, later.id, kind="hnte", issued_on="2024-02-29")  # after D
    indicator = {
        "plan_id": plan["id"],
        "code": 8,
        "area": "创新驱动",
        "name": "高新技术企业数量",
        "unit": "家",
        "baseline_value": "80",
        "target_value": "300",
    }
    created = await client.post("/api/v1/indicators", json=indicator, headers=planner)
    assert created.status_code == 201, created.text
    url = f"/api/v1/indicators/{created.json()['id']}/observations/2023"
    assert (await client.put(url, json={"value": "250"}, headers=planner)).status_code == 201

    body = await evaluation(client, viewer, plan, 2023)
    cultivation = body["cultivation"]
    assert cultivation["on"] == "2023-12-31"
    assert cultivation["by_tier"] == {
        "none": 2,
        "tech_sme": 1,
        "hnte": 1,
        "eaglet": 0,
        "gazelle": 0,
        "unicorn": 0,
        "platform": 0,
    }
    [eight] = body["indicators"]
    assert cultivation["targets"] == [
        {
            "code": 8,
            "name": "高新技术企业数量",
            "unit": "家",
            "target": "300",
            "registry": eight["registry_value"],
            "reported": "250",
        }
    ]
    assert eight["registry_value"] is not None  # the registry's count sits beside the reported 250
    assert eight["observations"] == [{"year": 2023, "value": "250"}]


async def test_the_chains_coverage_gaps_and_pipeline_taken_today(app, client, admin, viewer, plan):
    chain = await new_chain(client, admin, "储能电池", group="新能源")
    covered = await new_node(client, admin, chain["id"], "锂离子电池")
    await new_node(client, admin, chain["id"], "钠离子电池")
    enterprise = await register(app, "九夷锂能")
    url = f"{CHAINS}/{chain['id']}/nodes/{covered['id']}/enterprises"
    linked = await client.post(url, json={"enterprise_id": enterprise.id, "role": "leader"}, headers=admin)
    assert linked.status_code == 201, linked.text
    target = await client.post(
        f"{CHAINS}/{chain['id']}/targets", json={"company_name": "比亚迪"}, headers=admin
    )
    assert target.status_code == 201, target.text

    body = await evaluation(client, viewer, plan, 2023)
    chains = body["chains"]
    assert chains["taken_on"] == "2024-06-15"  # chains keep no history: the day the report is made
    assert chains["items"] == [
        {
            "chain_id": chain["id"],
            "name": "储能电池",
            "group": "新能源",
            "coverage": 0.5,
            "gaps": ["钠离子电池"],
        }
    ]
    stages = ("lead", "negotiating", "signed", "under_construction", "in_production", "dropped")
    assert chains["pipeline"]["by_stage"] == dict.fromkeys(stages, 0) | {"lead": 1}
    # it entered `lead` today, 2024: nothing in the years up to 2023, one lead in 2024's evaluation
    assert chains["pipeline"]["by_year"] == [
        {"year": year, "entered": dict.fromkeys(stages, 0)} for year in (2021, 2022, 2023)
    ]
    later = (await evaluation(client, viewer, plan, 2024))["chains"]["pipeline"]["by_year"]
    assert later[-1] == {"year": 2024, "entered": dict.fromkeys(stages, 0) | {"lead": 1}}


async def test_an_unknown_plan_is_404(client, viewer):
    response = await client.get("/api/v1/plans/nope/evaluation?year=2023", headers=viewer)
    assert response.status_code == 404
