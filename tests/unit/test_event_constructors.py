"""One constructor per event type: each builds a payload the catalogue accepts, and nothing else in domain/
builds a DomainEvent (so a raiser cannot drift from the catalogue's shape)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from domain.chains import events as chains_events
from domain.chains.chiefs import ChiefAssignment
from domain.chains.targets import Target, TargetStage
from domain.cultivation import events as cultivation_events
from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.pools import PoolKind, PoolMembership
from domain.cultivation.tiers import Tier, TierChange
from domain.integration.events import EVENT_TYPES, EVENTS, payload_problems
from domain.planning import events as planning_events
from domain.planning.indicators import Indicator, Observation
from domain.planning.reports import ProgressReport
from domain.planning.status import TaskStatus, Transition
from domain.planning.tasks import Task
from domain.planning.workflow import ExtensionRequest, ExtensionStatus, Urge
from domain.shared.events import DomainEvent

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
CONSTRUCTOR_MODULES = {"planning/events.py", "cultivation/events.py", "chains/events.py"}
AT = datetime(2024, 6, 1, 9, 30, tzinfo=UTC)
TODAY = date(2024, 6, 1)


def _samples() -> list[DomainEvent]:
    """Every constructor once with its optional members filled, and again where a member may be null."""
    task = Task(
        plan_id="plan-1", title="建设中试基地", code="5.3", lead_department_id="dept-1", due_date=TODAY
    )
    bare_task = Task(plan_id="plan-1", title="无编号任务", due_date=TODAY)
    move = Transition(
        task_id=task.id,
        seq=1,
        action="start",
        from_status=TaskStatus.NOT_STARTED,
        to_status=TaskStatus.IN_PROGRESS,
        on=TODAY,
        at=AT,
    )
    report = ProgressReport(
        task_id=task.id, period="2024-05", percent=Decimal("40"), summary="进展顺利", filed_at=AT
    )
    report.returned, report.return_comment, report.returned_by, report.returned_at = (
        True,
        "补充佐证",
        "u-1",
        AT,
    )
    request = ExtensionRequest(task_id=task.id, new_due_date=date(2024, 9, 30), reason="设备到货延迟")
    request.status, request.decided_by, request.note, request.decided_at = (
        ExtensionStatus.APPROVED,
        "u-1",
        "同意",
        AT,
    )
    indicator = Indicator(
        plan_id="plan-1", code=1, area="创新", name="研发投入", unit="亿元", target_value=Decimal(5)
    )
    observation = Observation(indicator_id=indicator.id, year=2023, value=Decimal("4.2"), source="统计局")
    enterprise = Enterprise(name="九夷锂能", registered_on=date(2019, 3, 1))
    certification = Certification(
        enterprise_id=enterprise.id, kind="hnte", issued_on=date(2021, 9, 1), number="GR202121000123"
    )
    membership = PoolMembership(
        pool=PoolKind.HNTE_RESERVE, enterprise_id=enterprise.id, entered_on=TODAY, entered_by="u-1"
    )
    left = PoolMembership(
        pool=PoolKind.HNTE_RESERVE, enterprise_id=enterprise.id, entered_on=date(2023, 1, 1), entered_by="u-1"
    )
    left.left_on, left.left_reason = TODAY, "迁出"
    chief = ChiefAssignment(chain_id="chain-1", user_id="u-2", since=TODAY)
    general = ChiefAssignment(chain_id=None, user_id="u-3", since=TODAY)
    target = Target(chain_id="chain-1", company_name="某新材料公司", stage=TargetStage.NEGOTIATING)
    lapse = TierChange(date(2024, 9, 1), Tier.HNTE, Tier.NONE, "hnte GR202121000123 expired")
    return [
        planning_events.task_created(task),
        planning_events.task_created(bare_task),
        planning_events.task_status_changed(move),
        planning_events.task_progress_reported(task, report),
        planning_events.task_report_returned(task, report),
        planning_events.task_extension_decided(task, request, previous_due_date=TODAY, at=AT),
        planning_events.task_extension_decided(task, request, previous_due_date=None, at=AT),
        planning_events.task_urged(task, Urge(task_id=task.id, note="请加快", by="u-1", at=AT)),
        planning_events.task_overdue(task),
        planning_events.task_overdue(bare_task),
        planning_events.indicator_observed(indicator, observation, Decimal("4.0")),
        planning_events.indicator_observed(indicator, observation, None),
        cultivation_events.enterprise_registered(enterprise),
        cultivation_events.enterprise_tier_changed(enterprise.id, lapse),
        cultivation_events.certification_expiring(certification, TODAY),
        cultivation_events.pool_member_added(membership),
        cultivation_events.pool_member_removed(left),
        chains_events.chain_chief_assigned(chief, "u-1"),
        chains_events.chain_chief_assigned(general, None),
        chains_events.chain_node_gap_opened("chain-1", "node-1"),
        chains_events.chain_node_gap_closed("chain-1", "node-1", node_removed=True),
        chains_events.target_stage_changed(target, "lead", TODAY),
    ]


@pytest.mark.parametrize("event", _samples(), ids=lambda e: e.type)
def test_each_constructor_builds_a_payload_the_catalogue_accepts(event: DomainEvent) -> None:
    assert payload_problems(event.type, event.data) == []
    assert event.subject_type in EVENTS[event.type].subject.split(" | ")
    assert event.subject_id


def test_every_catalogued_type_has_a_constructor_sampled_here() -> None:
    assert {event.type for event in _samples()} == set(EVENT_TYPES)


def test_a_lapse_and_an_expiry_notice_say_what_the_sweep_announces() -> None:
    enterprise_id = "ent-1"
    certification = Certification(enterprise_id=enterprise_id, kind="hnte", issued_on=date(2021, 9, 1))
    notice = cultivation_events.certification_expiring(certification, TODAY)
    assert notice.data["expires_on"] == "2024-08-31" and notice.data["days_left"] == 91
    general = chains_events.chain_chief_assigned(
        ChiefAssignment(chain_id=None, user_id="u", since=TODAY), None
    )
    assert (general.subject_type, general.data["chain_id"]) == ("general_chief", None)


def _domain_sources() -> dict[str, str]:
    return {str(path.relative_to(DOMAIN)): path.read_text(encoding="utf-8") for path in DOMAIN.rglob("*.py")}


def test_no_module_outside_the_constructors_builds_a_domain_event() -> None:
    builders = {name for name, text in _domain_sources().items() if "DomainEvent(" in text}
    assert builders == CONSTRUCTOR_MODULES


def test_each_catalogued_type_is_built_by_exactly_one_constructor() -> None:
    sources = _domain_sources()
    built = [
        found
        for name in CONSTRUCTOR_MODULES
        for found in re.findall(r'type="([a-z_]+\.[a-z_]+)"', sources[name])
    ]
    assert sorted(built) == sorted(EVENT_TYPES)
