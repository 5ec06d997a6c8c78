"""Eligibility and the R&D reward over HTTP: every rule set explained, as an officer reads them."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.cultivation.helpers import register

# 高新技术企业 for 2023: three years of figures that pass each of the seven conditions of 32号.
YEARS = {
    2021: {"revenue": 4000, "rd_expense": 220, "rd_expense_domestic": 200},
    2022: {"revenue": 4500, "rd_expense": 240, "rd_expense_domestic": 220},
    2023: {
        "revenue": 4800,
        "rd_expense": 260,
        "rd_expense_domestic": 240,
        "high_tech_revenue": 3600,
        "employees": 80,
        "tech_staff": 20,
        "class1_ip": 1,
        "class2_ip": 3,
        "total_assets": 9000,
        "total_cost": 4100,
        "innovation_score": 78,
    },
}


@pytest.fixture
async def enterprise(client, officer) -> dict:
    enterprise = await register(client, officer, name="辽宁烽火台科技", registered_on="2019-05-01")
    for year, figures in YEARS.items():
        url = f"/api/v1/enterprises/{enterprise['id']}/metrics/{year}"
        assert (await client.put(url, json=figures, headers=officer)).status_code == 201
    return enterprise


def result_of(body: dict, rule_set: str) -> dict:
    (result,) = [r for r in body["results"] if r["rule_set"] == rule_set]
    return result


async def test_the_hnte_answer_explains_every_condition(client, officer, enterprise):
    response = await client.get(
        f"/api/v1/enterprises/{enterprise['id']}/eligibility", params={"year": 2023}, headers=officer
    )
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2023
    assert [r["rule_set"] for r in body["results"]] == [
        "tech_sme",
        "hnte",
        "eaglet",
        "gazelle",
        "unicorn",
        "platform",
        "above_scale",
    ]
    hnte = result_of(body, "hnte")
    assert (hnte["version"], hnte["eligible"], hnte["missing"]) == (1, True, [])
    rows = {c["name"]: c for c in hnte["criteria"]}
    assert list(rows) == [
        "registered_days_min",
        "ip_count_min",
        "tech_staff_share_min",
        "rd_intensity_3y",
        "rd_domestic_share_3y",
        "high_tech_revenue_share_min",
        "innovation_score_above",
    ]
    assert all(c["passed"] is True for c in hnte["criteria"])
    # Σ R&D / Σ revenue 2021–2023 = 720 / 13300; revenue 4,800 ≤ 5,000 asks for 5 %.
    assert (rows["rd_intensity_3y"]["actual"], rows["rd_intensity_3y"]["threshold"]) == ("0.0541", "0.05")
    assert rows["tech_staff_share_min"]["actual"] == "0.2500"
    assert (rows["innovation_score_above"]["actual"], rows["innovation_score_above"]["threshold"]) == (
        "78",
        "70",
    )
    assert "score" not in hnte
    tech_sme = result_of(body, "tech_sme")
    # 25 % tech staff → 16; R&D / revenue 5.4 % → 40; a class-Ⅰ IP → 30.
    assert tech_sme["score"] == 86 and tech_sme["score_parts"] == {"tech_staff": 16, "rd": 40, "results": 30}


async def test_a_missing_expert_input_makes_hnte_undecided(client, officer, enterprise):
    url = f"/api/v1/enterprises/{enterprise['id']}"
    await client.put(f"{url}/metrics/2023", json={**YEARS[2023], "innovation_score": None}, headers=officer)
    body = (await client.get(f"{url}/eligibility", params={"year": 2023}, headers=officer)).json()
    hnte = result_of(body, "hnte")
    assert hnte["eligible"] is None and hnte["missing"] == ["innovation_score:2023"]


EVERY_RULE_SET = ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"]


@pytest.mark.parametrize(
    ("year", "not_in_force"), [(2020, {"eaglet", "gazelle", "unicorn", "platform"}), (2021, set())]
)
async def test_every_rule_set_is_listed_those_not_yet_in_force_marked(
    client, officer, enterprise, year, not_in_force
):
    """辽科创办发〔2021〕2号 took effect on 1 Jan 2021: for 2020 its four rule sets say "not in force"."""
    url = f"/api/v1/enterprises/{enterprise['id']}/eligibility"
    results = (await client.get(url, params={"year": year}, headers=officer)).json()["results"]
    assert [r["rule_set"] for r in results] == EVERY_RULE_SET
    assert {r["rule_set"] for r in results if not r["in_force"]} == not_in_force
    for result in results:
        if result["in_force"]:
            assert result["criteria"] and date.fromisoformat(result["effective_from"]).year <= year
        else:
            assert (result["eligible"], result["criteria"], result["missing"]) == (None, [], [])
            assert result["effective_from"] == "2021-01-01"


async def test_years_are_checked_and_a_refused_year_is_named_in_the_query(client, officer, enterprise):
    url = f"/api/v1/enterprises/{enterprise['id']}/eligibility"
    for year in (1989, 2101):
        refused = await client.get(url, params={"year": year}, headers=officer)
        assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["query", "year"]
    assert (await client.get(url, headers=officer)).status_code == 422


async def test_the_rd_reward_needs_a_tier_and_more_than_five_percent(client, officer, enterprise):
    url = f"/api/v1/enterprises/{enterprise['id']}"
    no_tier = (await client.get(f"{url}/rd-reward", params={"year": 2023}, headers=officer)).json()
    assert no_tier == {"year": 2023, "intensity": pytest.approx(260 / 4800), "ceiling": "0"}
    await client.post(
        f"{url}/certifications", json={"kind": "tech_sme", "issued_on": "2023-04-01"}, headers=officer
    )
    reward = (await client.get(f"{url}/rd-reward", params={"year": 2023}, headers=officer)).json()
    assert reward["ceiling"] == "26.0"  # 10 % of 260
    missing = (await client.get(f"{url}/rd-reward", params={"year": 2020}, headers=officer)).json()
    assert missing == {"year": 2020, "intensity": None, "ceiling": "0"}


@pytest.mark.parametrize("registered_on", ["2023-12-31", "2024-01-01", "2024-03-01"])
async def test_an_enterprise_registered_after_the_year_gets_an_answer_not_a_500(
    client, officer, registered_on
):
    """The audit's case: registered 2024-03-01, eligibility of 2023 divided 0 by 0 in hnte and gazelle. A year
    with no figures makes a ratio null; being registered after 31 Dec Y passes no "registered within" test."""
    company = await register(client, officer, name="新注册企业", registered_on=registered_on)
    url = f"/api/v1/enterprises/{company['id']}/eligibility"
    response = await client.get(url, params={"year": 2023}, headers=officer)
    assert response.status_code == 200, response.text
    results = {r["rule_set"]: r for r in response.json()["results"]}
    assert results["hnte"]["eligible"] is False  # fewer than 365 days registered on 31 Dec
    assert row_of(results["hnte"], "rd_intensity_3y")["passed"] is None
    assert row_of(results["gazelle"], "rd_intensity_4y")["passed"] is None
    registered_by_year_end = registered_on == "2023-12-31"
    for name in ("eaglet", "gazelle", "unicorn"):
        within = next(r for r in results[name]["criteria"] if r["name"].startswith("registered_within"))
        assert within["passed"] is registered_by_year_end, name


def row_of(result: dict, name: str) -> dict:
    return next(r for r in result["criteria"] if r["name"] == name)
