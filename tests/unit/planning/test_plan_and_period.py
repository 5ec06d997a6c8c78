from datetime import date

import pytest

from domain.planning.period import Period
from domain.planning.plan import Plan
from domain.shared.errors import InvalidValue


def test_the_seeded_plan_covers_2021_to_2025():
    plan = Plan(
        title="“十四五”规划", start_year=2021, end_year=2025, issuer="鞍山高新区管委会", issued="2021-12"
    )
    assert list(plan.years) == [2021, 2022, 2023, 2024, 2025]
    assert plan.issued == "2021-12"


def test_a_one_year_plan_is_allowed():
    assert list(Plan(title="年度计划", start_year=2024, end_year=2024).years) == [2024]


def test_a_plan_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidValue) as refused:
        Plan(title="规划", start_year=2025, end_year=2024)
    assert refused.value.field == "end_year"
    assert refused.value.zh != refused.value.en


@pytest.mark.parametrize("issued", ["2021-13", "2021-1", "21-12", "2021/12"])
def test_issued_must_be_a_year_month(issued):
    with pytest.raises(InvalidValue) as refused:
        Plan(title="规划", start_year=2021, end_year=2025, issued=issued)
    assert refused.value.field == "issued"


def test_a_blank_title_is_refused():
    with pytest.raises(InvalidValue) as refused:
        Plan(title="  ", start_year=2021, end_year=2025)
    assert refused.value.field == "title"


@pytest.mark.parametrize(("year", "inside"), [(2020, False), (2021, True), (2025, True), (2026, False)])
def test_check_year_refuses_years_outside_the_plan(year, inside):
    plan = Plan(title="规划", start_year=2021, end_year=2025)
    if inside:
        plan.check_year(year)
    else:
        with pytest.raises(InvalidValue) as refused:
            plan.check_year(year)
        assert refused.value.field == "year"


def test_period_reads_and_writes_year_month():
    assert Period.parse("2024-03") == Period(2024, 3)
    assert str(Period(2024, 3)) == "2024-03"
    assert Period.of(date(2023, 12, 31)) == Period(2023, 12)


@pytest.mark.parametrize("text", ["2024-00", "2024-13", "2024-3", "202403", "2024-03-01", "", None, 202403])
def test_period_refuses_what_is_not_a_month(text):
    with pytest.raises(InvalidValue) as refused:
        Period.parse(text)
    assert refused.value.field == "period"


def test_periods_order_by_year_then_month():
    assert Period(2023, 12) < Period(2024, 1) < Period(2024, 2) < Period(2024, 10)
    assert max([Period(2024, 2), Period(2023, 12), Period(2024, 10)]) == Period(2024, 10)


def test_period_refuses_month_13_when_built_directly():
    with pytest.raises(InvalidValue):
        Period(2024, 13)
