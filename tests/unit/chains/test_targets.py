from datetime import date
from decimal import Decimal
from itertools import combinations

import pytest

from domain.chains.nodes import Node
from domain.chains.targets import PIPELINE, EnterpriseNeeded, Target, TargetStage
from domain.shared.errors import IllegalTransition, InvalidValue

CHAIN = "hydrogen"
D0 = date(2024, 1, 10)
OPEN = [s for s in PIPELINE if s is not TargetStage.IN_PRODUCTION]


def target(**kwargs):
    return Target.create(chain_id=CHAIN, company_name="上海羿弓精密科技", on=D0, **kwargs)


def at(stage):
    """A target brought to `stage` directly (skipping is allowed), its events pulled."""
    t = target()
    if stage is not TargetStage.LEAD:
        t.move_to(stage, D0)
    t.pull_events()
    return t


def test_creation_enters_lead_with_its_date_and_records_it():
    t = target(planned_investment=Decimal("5000"), contact=" 张经理 ")
    assert t.stage is TargetStage.LEAD
    assert [(e.stage, e.date) for e in t.stage_history] == [(TargetStage.LEAD, D0)]
    assert t.contact == "张经理"
    [event] = t.pull_events()
    assert (event.type, event.subject_type, event.subject_id) == ("target.stage_changed", "target", t.id)
    assert event.data == {"from": None, "to": "lead", "date": "2024-01-10"}


def test_creation_on_a_node_of_the_chain_only():
    node = Node(chain_id=CHAIN, name="膜电极", stage="midstream")
    assert target(node=node).node_id == node.id
    foreign = Node(chain_id="solar", name="面板玻璃", stage="upstream")
    with pytest.raises(InvalidValue) as refused:
        target(node=foreign)
    assert refused.value.field == "node_id"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("company_name", {"company_name": " "}),
        ("planned_investment", {"planned_investment": Decimal("-0.01")}),
        ("planned_investment", {"planned_investment": Decimal("NaN")}),
        ("planned_investment", {"planned_investment": 5000.0}),
    ],
)
def test_creation_refuses_bad_values(field, kwargs):
    values = {"chain_id": CHAIN, "company_name": "爱德曼氢能源装备", "on": D0, **kwargs}
    with pytest.raises(InvalidValue) as refused:
        Target.create(**values)
    assert refused.value.field == field


def test_zero_planned_investment_is_accepted():
    assert target(planned_investment=Decimal("0")).planned_investment == Decimal("0")


@pytest.mark.parametrize(("start", "end"), list(combinations(PIPELINE, 2)))
def test_every_forward_move_including_skips_is_allowed(start, end):
    t = at(start)
    t.move_to(end, date(2024, 5, 1), note="进展")
    assert t.stage is end
    assert t.stage_history[-1].stage is end
    assert t.stage_history[-1].note == "进展"
    [event] = t.pull_events()
    assert event.data == {"from": start.value, "to": end.value, "date": "2024-05-01"}


def test_skipped_stages_are_not_entered():
    t = target()
    t.move_to("signed", date(2024, 3, 1))
    assert t.entered_on(TargetStage.NEGOTIATING) is None
    assert t.entered_on("signed") == date(2024, 3, 1)
    assert [e.stage for e in t.stage_history] == [TargetStage.LEAD, TargetStage.SIGNED]


@pytest.mark.parametrize(("end", "start"), list(combinations(OPEN, 2)))
def test_every_backward_move_is_refused(start, end):
    t = at(start)
    with pytest.raises(IllegalTransition) as refused:
        t.move_to(end, date(2024, 5, 1))
    assert refused.value.rule == "illegal-transition"
    assert t.stage is start
    assert t.pull_events() == []


@pytest.mark.parametrize("stage", OPEN)
def test_moving_to_the_same_stage_is_refused(stage):
    with pytest.raises(IllegalTransition):
        at(stage).move_to(stage, date(2024, 5, 1))


@pytest.mark.parametrize("stage", OPEN)
def test_dropped_from_every_open_stage(stage):
    t = at(stage)
    assert t.move_to("dropped", date(2024, 5, 1), note="对方放弃") is None
    assert t.stage is TargetStage.DROPPED
    assert t.is_final


@pytest.mark.parametrize("final", [TargetStage.IN_PRODUCTION, TargetStage.DROPPED])
@pytest.mark.parametrize("to", list(TargetStage))
def test_nothing_moves_out_of_a_final_stage(final, to):
    t = at(final)
    with pytest.raises(IllegalTransition):
        t.move_to(to, date(2024, 12, 31))
    assert t.stage is final


def test_an_unknown_stage_is_refused():
    with pytest.raises(InvalidValue) as refused:
        target().move_to("operating", D0)
    assert refused.value.field == "stage"


def test_a_date_before_the_previous_entry_is_refused_the_same_day_is_not():
    t = target()
    t.move_to("negotiating", date(2024, 3, 1))
    with pytest.raises(InvalidValue) as refused:
        t.move_to("signed", date(2024, 2, 29))
    assert refused.value.field == "date"
    assert t.stage is TargetStage.NEGOTIATING
    t.move_to("signed", date(2024, 3, 1))
    assert t.stage is TargetStage.SIGNED


def test_dropping_with_a_date_before_the_previous_entry_is_refused():
    with pytest.raises(InvalidValue):
        target().move_to("dropped", date(2024, 1, 9))


def test_reaching_production_asks_for_an_enterprise_on_its_node():
    node = Node(chain_id=CHAIN, name="氢气压缩机", stage="midstream")
    t = target(node=node)
    t.move_to("under_construction", date(2024, 4, 1))
    needed = t.move_to("in_production", date(2025, 6, 30))
    assert needed == EnterpriseNeeded(
        target_id=t.id, chain_id=CHAIN, node_id=node.id, company_name="上海羿弓精密科技", on=date(2025, 6, 30)
    )


def test_reaching_production_without_a_node_asks_for_an_enterprise_without_one():
    assert target().move_to("in_production", date(2025, 6, 30)).node_id is None


@pytest.mark.parametrize("stage", ["negotiating", "signed", "under_construction"])
def test_other_moves_ask_for_nothing(stage):
    assert target().move_to(stage, D0) is None


def test_revise_and_place_on():
    t = target(planned_investment=Decimal("5000"), note="首次接触")
    t.revise(company_name="羿弓科技", planned_investment=None, note=None)
    assert (t.company_name, t.planned_investment, t.note) == ("羿弓科技", None, None)
    assert t.contact is None
    node = Node(chain_id=CHAIN, name="膜电极", stage="midstream")
    t.place_on(node)
    assert t.node_id == node.id
    t.place_on(None)
    assert t.node_id is None
    with pytest.raises(InvalidValue):
        t.revise(company_name="")
