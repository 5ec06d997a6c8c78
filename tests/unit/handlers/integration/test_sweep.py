"""The daily sweep's rules through the unit of work in memory: what time alone announces, and only once."""

from __future__ import annotations

from datetime import date, timedelta

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.tiers import Tier
from domain.integration import sweep as sweep_module
from domain.integration.sweep import refresh_tiers, sweep
from domain.planning.tasks import Task, TaskStatus
from tests.unit.fakes import FakeUnitOfWork

TODAY = date(2024, 6, 1)


def _uow(*entities: object) -> FakeUnitOfWork:
    uow = FakeUnitOfWork(actor=None)
    for entity in entities:
        uow.sweep_candidates.add(entity)
    return uow


def _hnte(enterprise_id: str, issued_on: date, **more: object) -> Certification:
    # valid three years: issued 2021-05-20, its last valid day is 2024-05-19
    return Certification(enterprise_id=enterprise_id, kind="hnte", issued_on=issued_on, **more)


def _task(title: str, due_date: date | None, status: TaskStatus = TaskStatus.IN_PROGRESS) -> Task:
    return Task(
        plan_id="plan-1", title=title, code="9", start_date=date(2021, 1, 1), due_date=due_date, status=status
    )


def _of(uow: FakeUnitOfWork, kind: str) -> list:
    return [event for event in uow.published if event.type == kind]


async def test_a_certification_expiring_within_ninety_days_is_announced_with_the_days_left() -> None:
    soon = Certification(
        enterprise_id="e-1", kind="specialized", issued_on=date(2021, 8, 1)
    )  # last day 2024-07-31
    uow = _uow(soon)
    assert await sweep(uow, TODAY) == 1
    [notice] = _of(uow, "certification.expiring")
    assert notice.subject_id == soon.id
    assert notice.data["expires_on"] == "2024-07-31" and notice.data["days_left"] == 60
    assert uow.commits == 1


async def test_the_notice_window_runs_from_today_through_the_ninetieth_day() -> None:
    last_day_today = _hnte("e-1", date(2021, 6, 2))  # last valid day 2024-06-01
    ninety = _hnte("e-2", date(2021, 8, 31))  # 2024-08-30: 90 days away
    ninety_one = _hnte("e-3", date(2021, 9, 1))  # 2024-08-31: not yet
    revoked = _hnte("e-4", date(2021, 7, 1), revoked=True, revoked_on=date(2024, 1, 2), revoke_reason="撤销")
    uow = _uow(last_day_today, ninety, ninety_one, revoked)
    await sweep(uow, TODAY)
    days_left = {e.subject_id: e.data["days_left"] for e in _of(uow, "certification.expiring")}
    assert days_left == {last_day_today.id: 0, ninety.id: 90}


async def test_a_tier_that_fell_because_a_certification_lapsed_is_announced_and_a_revocation_is_not() -> None:
    lapsed = _hnte("e-1", date(2021, 5, 20))  # last valid day 2024-05-19
    fallback = Certification(enterprise_id="e-1", kind="tech_sme", issued_on=date(2024, 1, 10))
    revoked = _hnte("e-2", date(2022, 3, 1), revoked=True, revoked_on=date(2024, 5, 25), revoke_reason="撤销")
    uow = _uow(lapsed, fallback, revoked)
    await sweep(uow, TODAY)
    [change] = _of(uow, "enterprise.tier_changed")
    assert change.subject_id == "e-1"
    assert (change.data["date"], change.data["from"], change.data["to"]) == ("2024-05-20", "hnte", "tech_sme")
    assert "expired" in change.data["cause"]


async def test_an_open_task_past_its_due_date_is_overdue_and_a_closed_or_due_today_one_is_not() -> None:
    late = _task("逾期任务", TODAY - timedelta(days=3))
    done = _task("已完成", TODAY - timedelta(days=3), TaskStatus.COMPLETED)
    due_today = _task("今日到期", TODAY)
    undated = _task("无期限", None)
    uow = _uow(late, done, due_today, undated)
    await sweep(uow, TODAY)
    [overdue] = _of(uow, "task.overdue")
    assert overdue.subject_id == late.id
    assert overdue.data["title"] == "逾期任务" and overdue.data["due_date"] == "2024-05-29"


async def test_the_same_day_swept_again_announces_nothing_twice() -> None:
    task = _task("逾期任务", TODAY - timedelta(days=1))
    uow = _uow(task, _hnte("e-1", date(2021, 5, 20)))
    assert await sweep(uow, TODAY) == 2
    assert await sweep(uow, TODAY) == 0
    assert await sweep(uow, TODAY + timedelta(days=5)) == 0  # the same due date, the same lapse
    assert sorted(uow.published_types()) == ["enterprise.tier_changed", "task.overdue"]
    assert uow.sweep_marks.marks == {
        ("task.overdue", task.id, date(2024, 5, 31)),
        ("enterprise.tier_changed", "e-1", date(2024, 5, 20)),
    }


async def test_a_new_due_date_that_passes_brings_a_new_notice() -> None:
    task = _task("延期后又逾期", TODAY - timedelta(days=10))
    uow = _uow(task)
    await sweep(uow, TODAY)
    task.due_date = TODAY - timedelta(days=2)
    assert await sweep(uow, TODAY) == 1
    assert [e.data["due_date"] for e in _of(uow, "task.overdue")] == ["2024-05-22", "2024-05-30"]


async def test_after_a_long_downtime_the_sweep_catches_up_within_its_look_back() -> None:
    missed = _hnte("e-1", date(2021, 5, 20))  # lapsed 2024-05-20, swept only in December
    too_old = _hnte("e-2", date(2020, 3, 1))  # lapsed 2023-03-01: more than 400 days before
    uow = _uow(missed, too_old)
    await sweep(uow, date(2024, 12, 18))
    assert [e.subject_id for e in _of(uow, "enterprise.tier_changed")] == ["e-1"]


async def test_a_day_with_nothing_due_commits_and_announces_nothing() -> None:
    uow = _uow(_task("未到期", TODAY + timedelta(days=30)))
    assert await sweep(uow, TODAY) == 0
    assert uow.published == [] and uow.commits == 1


async def test_the_sweep_stores_today_s_tier_of_each_enterprise_whose_stored_tier_is_of_another_day() -> None:
    uow = FakeUnitOfWork(actor=None)
    lapsing, steady, bare = (Enterprise.register(name) for name in ("甲", "乙", "丙"))
    for enterprise in (lapsing, steady, bare):
        uow.enterprises.add(enterprise)
    uow.certifications.add(_hnte(lapsing.id, date(2021, 5, 20)))  # last valid day 2024-05-19
    uow.certifications.add(
        Certification(
            enterprise_id=steady.id, kind="gazelle", issued_on=date(2023, 1, 1), expires_on=date(2025, 12, 31)
        )
    )
    yesterday = date(2024, 5, 19)
    await uow.stored_tiers.store({lapsing.id: Tier.HNTE, steady.id: Tier.GAZELLE}, yesterday)
    await sweep(uow, yesterday + timedelta(days=1))
    today = yesterday + timedelta(days=1)
    assert await uow.stored_tiers.stored([lapsing.id, steady.id, bare.id], today) == {
        lapsing.id: Tier.NONE,  # the hnte lapsed overnight
        steady.id: Tier.GAZELLE,
        bare.id: Tier.NONE,  # never stored before
    }
    assert uow.commits == 1


async def test_the_tier_refresh_goes_batch_by_batch_until_none_is_stale(monkeypatch) -> None:
    uow = FakeUnitOfWork(actor=None)
    enterprises = [Enterprise.register(f"企业{n}") for n in range(7)]
    for enterprise in enterprises:
        uow.enterprises.add(enterprise)
    monkeypatch.setattr(sweep_module, "TIER_BATCH", 3)
    assert await refresh_tiers(uow.stored_tiers, TODAY) == 7
    assert await refresh_tiers(uow.stored_tiers, TODAY) == 0
    assert await uow.stored_tiers.stale(TODAY, limit=10) == {}
