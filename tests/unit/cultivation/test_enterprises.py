"""企业: registration, validation and the listing fact."""

from __future__ import annotations

from datetime import date

import pytest

from domain.cultivation.enterprises import CLUSTERS, Enterprise, EnterpriseStatus
from domain.shared.errors import InvalidValue

from .builders import enterprise


def test_register_records_enterprise_registered_with_json_ready_data() -> None:
    company = Enterprise.register(
        "聚龙股份",
        aliases=["聚龙集团"],
        credit_code="91350100m000100y43",
        registered_on=date(2011, 3, 15),
        cluster="总部经济组团",
    )
    (event,) = company.pull_events()
    assert event.type == "enterprise.registered"
    assert (event.subject_type, event.subject_id) == ("enterprise", company.id)
    assert event.data == {
        "name": "聚龙股份",
        "credit_code": "91350100M000100Y43",
        "registered_on": "2011-03-15",
        "cluster": "总部经济组团",
        "status": "active",
    }
    assert company.pull_events() == []


def test_defaults_are_an_active_enterprise_whose_listing_is_not_known() -> None:
    company = Enterprise(name="星空钠电")
    assert company.status is EnterpriseStatus.ACTIVE
    assert (company.listed, company.credit_code, company.cluster, company.aliases) == (None, None, None, [])
    assert len(company.id) == 32


def test_the_clusters_are_the_plans_eight() -> None:
    assert CLUSTERS == (
        "高新科创城",
        "新经济活力区",
        "总部经济组团",
        "环辽科大科创组团",
        "数字经济产业组团",
        "新能源产业组团",
        "能源与装备产业组团",
        "数字与信息产业组团",
    )


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_cluster_is_accepted(cluster: str) -> None:
    assert enterprise(cluster=cluster).cluster == cluster


@pytest.mark.parametrize("cluster", ["八组团", "高新区", "Digital"])
def test_an_unknown_cluster_is_refused(cluster: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        enterprise(cluster=cluster)
    assert caught.value.field == "cluster"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_name_is_required(name: str | None) -> None:
    with pytest.raises(InvalidValue) as caught:
        Enterprise(name=name)  # type: ignore[arg-type]
    assert caught.value.field == "name"


def test_names_and_aliases_are_trimmed_and_aliases_deduplicated() -> None:
    company = enterprise(name=" 亚世光电 ", aliases=["亚世股份", " 亚世股份 "])
    assert company.name == "亚世光电"
    assert company.aliases == ["亚世股份"]
    assert company.all_names() == ["亚世光电", "亚世股份"]


def test_an_empty_alias_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        enterprise(aliases=["宏成电力", " "])
    assert caught.value.field == "aliases"


def test_the_credit_code_is_validated_and_normalised() -> None:
    assert enterprise(credit_code="9144030071526726xg").credit_code == "9144030071526726XG"
    assert enterprise(credit_code="  ").credit_code is None
    with pytest.raises(InvalidValue) as caught:
        enterprise(credit_code="9144030071526726XA")
    assert caught.value.field == "credit_code"


@pytest.mark.parametrize("status", ["active", "moved_out", "deregistered"])
def test_the_three_statuses(status: str) -> None:
    assert enterprise(status=status).status == EnterpriseStatus(status)


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        enterprise(status="closed")
    assert caught.value.field == "status"


def test_listing_facts_need_the_listed_flag() -> None:
    with pytest.raises(InvalidValue) as caught:
        enterprise(listed_on=date(2015, 1, 1))
    assert caught.value.field == "listed_on"
    with pytest.raises(InvalidValue) as caught:
        enterprise(stock_code="300202")
    assert caught.value.field == "stock_code"
    listed = enterprise(listed=True, stock_code="300202", listed_on=date(2011, 1, 11))
    assert listed.stock_code == "300202"


def test_a_datetime_is_not_a_registration_date() -> None:
    from datetime import datetime

    with pytest.raises(InvalidValue) as caught:
        enterprise(registered_on=datetime(2020, 1, 1, 8))
    assert caught.value.field == "registered_on"


@pytest.mark.parametrize(
    ("listed_on", "on", "expected"),
    [
        (date(2011, 1, 11), date(2011, 1, 10), False),
        (date(2011, 1, 11), date(2011, 1, 11), True),
        (date(2011, 1, 11), date(2011, 1, 12), True),
        (None, date(1990, 1, 1), None),  # listed, date unknown: since when is not known
        (None, date(2099, 1, 1), None),
    ],
)
def test_is_listed_on(listed_on: date | None, on: date, expected: bool | None) -> None:
    assert enterprise(listed=True, listed_on=listed_on).is_listed_on(on) is expected
    assert enterprise(listed=False).is_listed_on(on) is False
    assert enterprise().is_listed_on(on) is None  # listing not known: never "not listed"


TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("on", "expected"), [(date(2026, 2, 28), None), (TODAY, True), (date(2026, 3, 2), True)]
)
def test_listed_without_a_date_is_listed_from_today_on(on: date, expected: bool | None) -> None:
    assert enterprise(listed=True).is_listed_on(on, TODAY) is expected
    assert enterprise().is_listed_on(on, TODAY) is None
    assert enterprise(listed=True, listed_on=date(2026, 3, 2)).is_listed_on(on, TODAY) is (
        on >= date(2026, 3, 2)
    )


def test_update_validates_every_change_before_applying_any() -> None:
    company = enterprise(cluster="高新科创城")
    with pytest.raises(InvalidValue):
        company.update(name="新名称", cluster="不存在的组团")
    assert (company.name, company.cluster) == ("鞍山测试科技有限公司", "高新科创城")
    company.update(name="新名称", cluster=None, listed=True, listed_on=date(2020, 5, 6))
    assert (company.name, company.cluster, company.listed_on) == ("新名称", None, date(2020, 5, 6))


def test_update_keeps_the_id_and_refuses_unknown_fields() -> None:
    company = enterprise()
    before = company.id
    company.update(status="moved_out")
    assert company.id == before and company.status is EnterpriseStatus.MOVED_OUT
    with pytest.raises(InvalidValue) as caught:
        company.update(tier="hnte")
    assert caught.value.field == "tier"
    with pytest.raises(InvalidValue):
        company.update(id="other")
