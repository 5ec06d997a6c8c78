"""One enterprise explained through the handlers: tier history, eligibility, R&D reward; who sees figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.cultivation.handlers.insight import eligibility, rd_reward_of, tier_history_of
from domain.cultivation.sensitive import ELIGIBILITY_READ, RD_REWARD_READ
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.cultivation.support import (
    OFFICER,
    VIEWER,
    certification_in,
    enterprise_in,
    metrics_in,
)

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
def enterprise(uow):
    enterprise = enterprise_in(uow, "辽宁烽火台科技", registered_on=date(2019, 5, 1))
    for year, figures in YEARS.items():
        metrics_in(uow, enterprise, year, **figures)
    return enterprise


def result_of(body: dict, rule_set: str) -> dict:
    (result,) = [r for r in body["results"] if r["rule_set"] == rule_set]
    return result


async def test_the_tier_history_follows_issues_expiries_and_revocations(uow, enterprise):
    certification_in(uow, enterprise, "tech_sme", date(2021, 3, 1))
    certification_in(uow, enterprise, "hnte", date(2021, 11, 24), number="GR202121000123")
    certification_in(
        uow,
        enterprise,
        "hnte",
        date(2019, 1, 1),
        revoked=True,
        revoked_on=date(2020, 1, 1),
        revoke_reason="造假",
    )
    history = await tier_history_of(enterprise.id, uow=uow)
    assert [(c["date"], c["from"], c["to"]) for c in history] == [
        ("2019-01-01", "none", "hnte"),
        ("2020-01-01", "hnte", "none"),
        ("2021-03-01", "none", "tech_sme"),
        ("2021-11-24", "tech_sme", "hnte"),
        ("2024-11-24", "hnte", "none"),  # three years over, the tech_sme registration ended with 2021
    ]
    assert "revoked" in history[1]["cause"] and history[3]["cause"] == "hnte GR202121000123 issued"
    with pytest.raises(NotFound):
        await tier_history_of("nothere", uow=uow)
    assert uow.commits == 0


async def test_an_officer_sees_every_rule_set_explained_and_the_read_is_logged(uow, enterprise, reads):
    body = await eligibility(enterprise.id, 2023, uow=uow, principal=OFFICER, record_reads=reads)
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
    assert (hnte["eligible"], hnte["missing"]) == (True, [])
    rows = {c["name"]: c for c in hnte["criteria"]}
    assert (rows["rd_intensity_3y"]["actual"], rows["rd_intensity_3y"]["threshold"]) == ("0.0541", "0.05")
    assert result_of(body, "tech_sme")["score"] == 86
    (read,) = reads.reads
    assert (read.enterprise_id, read.fields, dict(read.details)) == (
        enterprise.id,
        ELIGIBILITY_READ,
        {"view": "eligibility", "year": 2023},
    )
    assert uow.commits == 0


async def test_a_viewer_gets_the_criteria_without_a_figure_and_no_read_is_logged(uow, enterprise, reads):
    body = await eligibility(enterprise.id, 2023, uow=uow, principal=VIEWER, record_reads=reads)
    hnte = result_of(body, "hnte")
    assert hnte["eligible"] is None  # a verdict would bracket the hidden figures
    assert {row["actual"] for row in hnte["criteria"]} == {None}
    assert result_of(body, "tech_sme")["score"] is None
    assert reads.batches == []


async def test_the_service_rate_converts_the_unicorn_valuation_floor(uow, enterprise, reads):
    def floor(body: dict) -> str:
        rows = {c["name"]: c for c in result_of(body, "unicorn")["criteria"]}
        return rows["valuation_min"]["threshold"]

    default = await eligibility(enterprise.id, 2023, uow=uow, principal=OFFICER, record_reads=reads)
    configured = await eligibility(
        enterprise.id, 2023, uow=uow, principal=OFFICER, record_reads=reads, cny_per_usd=Decimal("7.2")
    )
    assert (floor(default), floor(configured)) == ("700000", "720000")


async def test_rule_sets_not_yet_in_force_are_listed_undecided(uow, enterprise, reads):
    body = await eligibility(enterprise.id, 2020, uow=uow, principal=OFFICER, record_reads=reads)
    not_in_force = {r["rule_set"] for r in body["results"] if not r["in_force"]}
    assert not_in_force == {"eaglet", "gazelle", "unicorn", "platform"}


@pytest.mark.parametrize("year", [1989, 2101])
async def test_a_year_out_of_range_is_refused_before_any_read(uow, enterprise, reads, year):
    for ask in (
        eligibility(enterprise.id, year, uow=uow, principal=OFFICER, record_reads=reads),
        rd_reward_of(enterprise.id, year, uow=uow, principal=OFFICER, record_reads=reads),
    ):
        with pytest.raises(InvalidValue) as refused:
            await ask
        assert refused.value.field == "year"
    assert reads.batches == []


async def test_an_unknown_enterprise_is_a_404_and_no_read(uow, reads):
    with pytest.raises(NotFound):
        await eligibility("nothere", 2023, uow=uow, principal=OFFICER, record_reads=reads)
    with pytest.raises(NotFound):
        await rd_reward_of("nothere", 2023, uow=uow, principal=OFFICER, record_reads=reads)
    assert reads.batches == []


async def test_the_rd_reward_needs_a_tier_and_more_than_five_percent(uow, enterprise, reads):
    no_tier = await rd_reward_of(enterprise.id, 2023, uow=uow, principal=OFFICER, record_reads=reads)
    assert no_tier == {"year": 2023, "intensity": pytest.approx(260 / 4800), "ceiling": "0"}
    certification_in(uow, enterprise, "tech_sme", date(2023, 4, 1))
    reward = await rd_reward_of(enterprise.id, 2023, uow=uow, principal=OFFICER, record_reads=reads)
    assert reward["ceiling"] == "26.0"  # 10 % of 260
    missing = await rd_reward_of(enterprise.id, 2020, uow=uow, principal=OFFICER, record_reads=reads)
    assert missing == {"year": 2020, "intensity": None, "ceiling": "0"}
    assert [dict(r.details) for r in reads.reads] == [
        {"view": "rd_reward", "year": y} for y in (2023, 2023, 2020)
    ]
    assert all(r.fields == RD_REWARD_READ and r.enterprise_id == enterprise.id for r in reads.reads)


async def test_a_viewer_gets_the_rd_reward_without_figures(uow, enterprise, reads):
    certification_in(uow, enterprise, "tech_sme", date(2023, 4, 1))
    body = await rd_reward_of(enterprise.id, 2023, uow=uow, principal=VIEWER, record_reads=reads)
    assert body == {"year": 2023, "intensity": None, "ceiling": None} and reads.batches == []
