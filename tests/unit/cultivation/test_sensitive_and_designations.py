"""What a reader without read_sensitive is shown, and the designations the registry's list filters by."""

from __future__ import annotations

from datetime import date

import pytest

from domain.cultivation.designations import DESIGNATIONS, designations_on, kinds_behind
from domain.cultivation.eligibility import rule_set_for
from domain.cultivation.metrics import METRIC_FIELDS
from domain.cultivation.rd_reward import rd_reward
from domain.cultivation.sensitive import conceal_metrics, conceal_result, conceal_reward
from domain.cultivation.stats import designation_counts

from .builders import YEAR, by_year, cert, enterprise, metrics, row


def test_concealed_metrics_keep_the_year_and_nothing_else() -> None:
    body = metrics(revenue=5000, employees=20, tech_staff=5, award=True).as_dict() | {"enterprise_id": "e1"}
    concealed = conceal_metrics(body)
    assert (concealed["year"], concealed["enterprise_id"]) == (YEAR, "e1")
    assert [concealed[name] for name in METRIC_FIELDS] == [None] * len(METRIC_FIELDS)


def test_a_concealed_result_keeps_names_and_what_is_missing_but_no_figure_nor_its_verdict() -> None:
    figures = by_year(
        metrics(YEAR - 3, revenue=1000, employees=90),
        metrics(YEAR - 1, revenue=1500, employees=100),
        metrics(YEAR, revenue=1800, employees=120, rd_expense=100, equity_financing=0),
    )
    result = rule_set_for("gazelle", YEAR).evaluate(enterprise(), [], figures, YEAR)
    shown = conceal_result(result.as_dict())
    # A verdict next to its threshold brackets the hidden figure: hidden with it (issue 15, finding 9).
    assert shown["eligible"] is None and shown["missing"] == result.missing
    stack = list(shown["criteria"])
    names = []
    while stack:
        current = stack.pop()
        names.append(current["name"])
        if isinstance(current["actual"], list):
            stack.extend(current["actual"])
        else:
            assert current["actual"] is None
        assert current["passed"] is None
    assert {"revenue_rising", "revenue_cagr_3y", "rd_intensity_4y"} <= set(names)
    # A rising test's threshold is last year's revenue: a figure, hidden too; a rule's constant stays.
    rising = next(r for r in shown["criteria"][2]["actual"][0]["actual"] if r["name"] == "revenue_rising")
    assert rising["threshold"] is None and row(result, "revenue_rising")["threshold"] == "1500"
    assert next(r for r in shown["criteria"] if r["name"] == "rd_intensity_4y")["threshold"] == "0.025"


def test_a_criterion_with_no_figure_to_hide_keeps_its_verdict() -> None:
    body = {
        "rule_set": "x",
        "version": 1,
        "eligible": None,
        "missing": ["revenue:2023"],
        "criteria": [{"name": "revenue_min", "actual": None, "threshold": "100", "passed": None}],
    }
    assert conceal_result(body) == body  # nothing was hidden, so nothing is bracketed


def test_the_tech_sme_score_is_concealed_with_its_parts() -> None:
    figures = by_year(
        metrics(employees=10, tech_staff=3, revenue=100, rd_expense=7, total_assets=50, class1_ip=1)
    )
    body = rule_set_for("tech_sme", YEAR).evaluate(enterprise(), [], figures, YEAR).as_dict()
    assert body["score"] == 100
    concealed = conceal_result(body)
    assert concealed["score"] is None and concealed["score_parts"] == {
        "tech_staff": None,
        "rd": None,
        "results": None,
    }
    assert "score" not in conceal_result(
        rule_set_for("hnte", YEAR).evaluate(enterprise(), [], figures, YEAR).as_dict()
    )


def test_the_concealed_reward_keeps_only_the_year() -> None:
    body = rd_reward([], metrics(revenue=100, rd_expense=6), YEAR).as_dict()
    assert conceal_reward(body) == {"year": YEAR, "intensity": None, "ceiling": None}


ON = date(2023, 6, 30)


@pytest.mark.parametrize(
    ("held", "listed_on", "expected"),
    [
        ([], None, set()),
        ([cert("hnte", date(2021, 1, 1))], None, {"hnte"}),
        ([cert("hnte", date(2020, 7, 1))], None, {"hnte"}),  # last valid day 30 Jun 2023
        ([cert("hnte", date(2020, 6, 30))], None, set()),  # last valid day 29 Jun 2023
        (
            [cert("unicorn", date(2022, 1, 1), expires_on=date(2023, 6, 30))],
            None,
            {"unicorn", "gazelle_or_unicorn"},
        ),
        (
            [cert("gazelle", date(2022, 1, 1), expires_on=date(2024, 1, 1))],
            date(2023, 6, 30),
            {"gazelle", "gazelle_or_unicorn", "listed"},
        ),
        ([], date(2023, 7, 1), set()),
    ],
)
def test_designations_held_on_a_day(held, listed_on, expected) -> None:
    company = enterprise(listed=listed_on is not None, listed_on=listed_on)
    assert designations_on(company, held, ON) == expected
    counted = designation_counts([company], {company.id: held}, ON)
    assert {key for key, n in counted.items() if n} == expected - {"gazelle", "unicorn"}


def test_every_designation_names_the_kinds_behind_it() -> None:
    assert set(DESIGNATIONS) >= {"hnte", "gazelle", "unicorn", "gazelle_or_unicorn", "listed", "little_giant"}
    assert kinds_behind("gazelle_or_unicorn") == {"gazelle", "unicorn"}
    assert kinds_behind("listed") == frozenset() and kinds_behind("hnte") == {"hnte"}
