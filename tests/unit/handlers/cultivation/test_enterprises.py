"""Enterprises through the handlers: register, read with the tier of today, change under If-Match, list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.cultivation.handlers import enterprises as handlers
from domain.cultivation.handlers.enterprises import change_enterprise, list_enterprises, register_enterprise
from domain.cultivation.pools import PoolKind, PoolMembership
from domain.cultivation.tiers import Tier
from domain.identity.accounts import User
from domain.shared.errors import Duplicate, InvalidValue, NotFound
from tests.unit.cultivation.builders import with_check_character
from tests.unit.handlers.cultivation.support import TODAY, Expect, Refuse, certification_in, enterprise_in

CODE_A = with_check_character("91210300MA0U6X8Q1")
CODE_B = with_check_character("91210300241528512")
RECENTLY = TODAY - timedelta(days=30)
LONG_AGO = TODAY - timedelta(days=5 * 366)


async def test_registering_adds_the_enterprise_commits_once_and_announces_it(uow):
    view = await register_enterprise(
        {
            "name": " 聚龙股份 ",
            "aliases": ["聚龙集团"],
            "credit_code": CODE_A.lower(),
            "cluster": "高新科创城",
        },
        uow=uow,
    )
    assert view.tier is Tier.NONE
    assert uow.enterprises.items == {view.enterprise.id: view.enterprise}
    assert (view.enterprise.name, view.enterprise.credit_code) == ("聚龙股份", CODE_A)
    assert uow.commits == 1
    (event,) = uow.published
    assert (event.type, event.subject_id) == ("enterprise.registered", view.enterprise.id)
    assert event.data["name"] == "聚龙股份" and event.data["credit_code"] == CODE_A
    assert event.data["cluster"] == "高新科创城" and event.data["status"] == "active"


async def test_a_credit_code_already_registered_is_a_409_and_writes_nothing(uow):
    first = enterprise_in(uow, "亚世光电", credit_code=CODE_A)
    with pytest.raises(Duplicate) as refused:
        await register_enterprise({"name": "亚世股份", "credit_code": CODE_A.lower()}, uow=uow)
    assert refused.value.field == "credit_code" and first.id in refused.value.en
    assert list(uow.enterprises.items) == [first.id]
    assert uow.commits == 0 and uow.published == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "大普科技", "cluster": "月球组团"}, "cluster"),
        ({"name": "大普科技", "status": "bankrupt"}, "status"),
        ({"name": "大普科技", "listed_on": TODAY}, "listed_on"),
        ({"name": "大普科技", "officer_id": "nobody"}, "officer_id"),
    ],
)
async def test_bad_fields_are_refused_and_nothing_is_written(uow, data, field):
    with pytest.raises(InvalidValue) as refused:
        await register_enterprise(data, uow=uow)
    assert refused.value.field == field
    assert uow.enterprises.items == {} and uow.commits == 0 and uow.published == []


async def test_an_officer_must_be_a_known_user(uow):
    officer = User(username="officer_li", password_hash="x", roles=["officer"])
    uow.users.add(officer)
    view = await register_enterprise({"name": "希思腾科", "officer_id": officer.id}, uow=uow)
    assert view.enterprise.officer_id == officer.id and uow.commits == 1


async def test_a_view_carries_the_tier_of_today(uow):
    enterprise = enterprise_in(uow)
    certification_in(uow, enterprise, "tech_sme", TODAY.replace(month=1, day=2))
    certification_in(uow, enterprise, "hnte", LONG_AGO)  # lapsed: three years are over
    view = await handlers.enterprise_view(enterprise.id, uow=uow, today=TODAY)
    assert view.enterprise is enterprise and view.tier is Tier.TECH_SME
    later = await handlers.enterprise_view(enterprise.id, uow=uow, today=TODAY.replace(year=TODAY.year + 1))
    assert later.tier is Tier.NONE
    with pytest.raises(NotFound):
        await handlers.enterprise_view("nothere", uow=uow, today=TODAY)


async def test_lists_take_the_tier_stored_for_today_and_one_read_derives_it_from_what_it_read(uow):
    """The stored tier stands for the certifications (the unit of work writes both); one stored for another
    day says nothing of today. Stored here unlike the certifications, to see which one is read: a list takes
    today's stored tier; one enterprise's read derives it from the certifications its one statement read."""
    enterprise, other = enterprise_in(uow), enterprise_in(uow, "荣信汇科")
    certification_in(uow, enterprise, "tech_sme", TODAY.replace(month=1, day=2))
    await uow.stored_tiers.store({enterprise.id: Tier.HNTE}, TODAY)
    await uow.stored_tiers.store({other.id: Tier.PLATFORM}, TODAY - timedelta(days=1))
    listed = await list_enterprises({}, uow=uow, today=TODAY, after=None, limit=10)
    assert {view.enterprise.id: view.tier for view in listed} == {
        enterprise.id: Tier.HNTE,
        other.id: Tier.NONE,
    }
    assert (await handlers.enterprise_view(enterprise.id, uow=uow, today=TODAY)).tier is Tier.TECH_SME
    assert (await handlers.enterprise_view(other.id, uow=uow, today=TODAY)).tier is Tier.NONE


async def test_a_change_is_checked_against_what_the_caller_saw_then_committed(uow):
    enterprise = enterprise_in(uow, "荣信汇科")
    certification_in(uow, enterprise, "hnte", RECENTLY)
    expect = Expect()
    view = await change_enterprise(
        enterprise.id, {"cluster": "高新科创城", "aliases": ["荣信"]}, uow=uow, today=TODAY, expect=expect
    )
    (shown,) = expect.shown
    assert (shown.enterprise.id, shown.tier) == (enterprise.id, Tier.HNTE)  # as the caller is shown it
    assert (view.enterprise.cluster, view.enterprise.aliases, view.tier) == (
        "高新科创城",
        ["荣信"],
        Tier.HNTE,
    )
    assert uow.commits == 1 and uow.published == []  # a change raises no event


async def test_a_stale_expectation_refuses_the_change_before_anything_is_changed(uow):
    enterprise = enterprise_in(uow, "荣信汇科", cluster="总部经济组团")
    with pytest.raises(Refuse):
        await change_enterprise(
            enterprise.id, {"cluster": None}, uow=uow, today=TODAY, expect=Expect(refuse=True)
        )
    assert enterprise.cluster == "总部经济组团" and uow.commits == 0


async def test_changing_an_unknown_enterprise_is_a_404_before_any_expectation(uow):
    expect = Expect()
    with pytest.raises(NotFound):
        await change_enterprise("nothere", {"cluster": None}, uow=uow, today=TODAY, expect=expect)
    assert expect.shown == [] and uow.commits == 0


async def test_taking_another_enterprises_credit_code_is_a_409(uow):
    enterprise_in(uow, "亚世光电", credit_code=CODE_A)
    other = enterprise_in(uow, "新光台电子", credit_code=CODE_B)
    with pytest.raises(Duplicate):
        await change_enterprise(other.id, {"credit_code": CODE_A}, uow=uow, today=TODAY)
    assert uow.commits == 0
    kept = await change_enterprise(other.id, {"credit_code": CODE_B, "name": "新光台"}, uow=uow, today=TODAY)
    assert kept.enterprise.name == "新光台" and uow.commits == 1  # its own code is no clash


async def test_an_unknown_field_is_refused(uow):
    enterprise = enterprise_in(uow)
    with pytest.raises(InvalidValue) as refused:
        await change_enterprise(enterprise.id, {"tier": "hnte"}, uow=uow, today=TODAY)
    assert refused.value.field == "tier" and uow.commits == 0


async def test_update_of_a_loaded_enterprise_answers_with_its_tier(uow):
    enterprise = enterprise_in(uow)
    certification_in(uow, enterprise, "eaglet", RECENTLY, expires_on=TODAY + timedelta(days=300))
    view = await handlers.update_enterprise(enterprise, {"name": "新名称"}, uow=uow, today=TODAY)
    assert (view.enterprise.name, view.tier) == ("新名称", Tier.EAGLET) and uow.commits == 1


def names(views) -> list[str]:
    return [view.enterprise.name for view in views]


async def test_listing_filters_by_stored_fields_and_pages_with_one_more(uow):
    a = enterprise_in(uow, "九夷锂能", cluster="新能源产业组团")
    enterprise_in(uow, "宏成电力", cluster="新能源产业组团", status="moved_out")
    enterprise_in(uow, "聚龙股份", cluster="总部经济组团", aliases=["聚龙集团"])
    uow.pool_memberships.add(
        PoolMembership(pool=PoolKind.HNTE_RESERVE, enterprise_id=a.id, entered_on=TODAY, entered_by="li")
    )

    async def listed(limit: int = 20, after: str | None = None, **filters) -> list[str]:
        return names(await list_enterprises(filters, uow=uow, today=TODAY, after=after, limit=limit))

    ordered = [e.name for e in sorted(uow.enterprises.items.values(), key=lambda e: e.id)]
    assert await listed() == ordered
    assert await listed(limit=1) == ordered[:2]  # one more than asked: another page exists
    assert await listed(limit=1, after=min(uow.enterprises.items)) == ordered[1:3]
    assert sorted(await listed(cluster="新能源产业组团")) == ["九夷锂能", "宏成电力"]
    assert await listed(cluster="新能源产业组团", status="active") == ["九夷锂能"]
    assert await listed(pool="hnte_reserve") == ["九夷锂能"]
    assert await listed(q="聚龙集团") == ["聚龙股份"]
    assert await listed(status=None, q=None) == ordered  # a filter left out filters nothing
    assert uow.commits == 0


async def test_tier_and_designation_filters_hold_today(uow):
    hnte = enterprise_in(uow, "高企甲", listed=True, listed_on=LONG_AGO)
    sme = enterprise_in(uow, "科小乙")
    gazelle = enterprise_in(uow, "瞪羚丙")
    both = enterprise_in(uow, "高企瞪羚戊")
    enterprise_in(uow, "无认定丁")
    certification_in(uow, hnte, "hnte", RECENTLY)
    certification_in(uow, hnte, "tech_sme", TODAY)
    certification_in(uow, sme, "hnte", LONG_AGO)  # lapsed
    for holder in (gazelle, both):
        certification_in(uow, holder, "gazelle", RECENTLY, expires_on=TODAY + timedelta(days=366))
    certification_in(uow, both, "hnte", RECENTLY)

    async def listed(**filters) -> set[str]:
        return set(names(await list_enterprises(filters, uow=uow, today=TODAY, after=None, limit=20)))

    assert await listed(tier=Tier.HNTE) == {"高企甲"}
    assert await listed(tier=Tier.NONE) == {"科小乙", "无认定丁"}
    assert await listed(tier=Tier.GAZELLE) == {"瞪羚丙", "高企瞪羚戊"}
    assert await listed(designation="tech_sme") == {"高企甲"}
    assert await listed(designation="gazelle_or_unicorn") == {"瞪羚丙", "高企瞪羚戊"}
    assert await listed(designation="listed") == {"高企甲"}
    assert await listed(designation="hnte", tier=Tier.GAZELLE) == {"高企瞪羚戊"}
    assert await listed(designation="hnte") == {"高企甲", "高企瞪羚戊"}


async def test_a_tier_filter_scans_batch_after_batch_until_a_page_is_full(uow, monkeypatch):
    monkeypatch.setattr(handlers, "SCAN_BATCH", 2)
    for n in range(7):
        enterprise = enterprise_in(uow, f"企业{n}")
        if n % 2 == 0:
            certification_in(uow, enterprise, "hnte", RECENTLY)
    holders = [e.id for e in sorted(uow.enterprises.items.values(), key=lambda e: e.id)]
    holders = [i for i in holders if uow.enterprises.items[i].name in {"企业0", "企业2", "企业4", "企业6"}]
    seen, after = [], None
    while True:
        page = await list_enterprises({"tier": Tier.HNTE}, uow=uow, today=TODAY, after=after, limit=2)
        assert all(view.tier is Tier.HNTE for view in page)
        seen += [view.enterprise.id for view in page[:2]]
        if len(page) <= 2:
            break
        after = page[1].enterprise.id
    assert seen == holders
