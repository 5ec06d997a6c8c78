"""Property: for any registration date, year and subset of figures, every rule set answers, and no criterion
passes on no data (a missing figure, or a ratio over nothing, makes a criterion null — never true, never a
crash)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.cultivation.eligibility import all_rule_sets, results_for
from domain.cultivation.eligibility.registry import FIRST_YEAR, LAST_YEAR
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AMOUNT_FIELDS, COUNT_FIELDS, FLAG_FIELDS, AnnualMetrics

YEARS = st.integers(FIRST_YEAR, LAST_YEAR)
# Zero included on purpose: a zero denominator is "no data" for a ratio.
AMOUNTS = st.one_of(
    st.just(Decimal(0)), st.decimals(0, 10**7, places=2, allow_nan=False, allow_infinity=False)
)
COUNTS = st.integers(0, 10**5)
VALUES = {
    **dict.fromkeys(AMOUNT_FIELDS, AMOUNTS),
    **dict.fromkeys(COUNT_FIELDS, COUNTS),
    **dict.fromkeys(FLAG_FIELDS, st.booleans()),
    "innovation_score": st.decimals(0, 100, places=1, allow_nan=False, allow_infinity=False),
}


@st.composite
def registry_facts(draw) -> tuple[Enterprise, dict[int, AnnualMetrics], int]:
    """An enterprise registered on any day (or not known), a year, and any subset of figures around it."""
    year = draw(YEARS)
    registered = draw(st.one_of(st.none(), st.dates(date(FIRST_YEAR - 30, 1, 1), date(LAST_YEAR, 12, 31))))
    listed = draw(st.sampled_from([None, False, True]))
    listed_on = draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2100, 12, 31)))) if listed else None
    enterprise = Enterprise(name="企业", registered_on=registered, listed=listed, listed_on=listed_on)
    metrics = {}
    for y in draw(st.sets(st.integers(max(FIRST_YEAR, year - 4), min(LAST_YEAR, year + 1)), max_size=6)):
        names = draw(st.sets(st.sampled_from(sorted(VALUES))))
        figures = {n: draw(VALUES[n]) for n in names}
        if (
            "tech_staff" in figures and "employees" in figures
        ):  # the record refuses more tech staff than staff
            figures["tech_staff"] = min(figures["tech_staff"], figures["employees"])
        metrics[y] = AnnualMetrics(enterprise_id=enterprise.id, year=y, **figures)
    return enterprise, metrics, year


def rows(criteria: list[dict[str, Any]]):
    """Every criterion row, members of "any one of" / "all of" criteria included."""
    for row in criteria:
        yield row
        if isinstance(row["actual"], list):
            yield from rows(row["actual"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_facts())
def test_every_rule_set_answers_and_nothing_passes_without_its_figures(facts) -> None:
    enterprise, metrics, year = facts
    for rule_set in all_rule_sets():
        result = rule_set.evaluate(enterprise, [], metrics, year).as_dict()
        for row in rows(result["criteria"]):
            if row["passed"] is True:
                assert row["actual"] is not None, (rule_set.name, row)
        if result["eligible"] is True:
            assert result["missing"] == []
    answered = results_for(enterprise, [], metrics, year)
    assert sorted(r["rule_set"] for r in answered) == sorted({r.name for r in all_rule_sets()})


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.dates(date(FIRST_YEAR - 30, 1, 1), date(LAST_YEAR, 12, 31))),
    YEARS,
    st.sets(st.integers(FIRST_YEAR, LAST_YEAR), max_size=4),
)
def test_with_no_figure_no_criterion_passes(registered, year, empty_years) -> None:
    """Records of a year with no figure in them, and no certification, listing not known: no criterion of
    any rule set can pass (registration alone passes none: every rule set asks for more)."""
    enterprise = Enterprise(name="企业", registered_on=None)
    metrics = {y: AnnualMetrics(enterprise_id=enterprise.id, year=y) for y in empty_years}
    for rule_set in all_rule_sets():
        result = rule_set.evaluate(enterprise, [], metrics, year).as_dict()
        assert [r for r in rows(result["criteria"]) if r["passed"] is True] == [], rule_set.name
        assert result["eligible"] is not True
    dated = Enterprise(name="企业", registered_on=registered)
    for rule_set in all_rule_sets():
        result = rule_set.evaluate(dated, [], metrics, year).as_dict()
        assert result["eligible"] is not True, rule_set.name
