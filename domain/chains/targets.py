"""招商目标 (精准招商): the companies a chain courts, and their stages from lead to production."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from domain.chains import events
from domain.chains._checks import KEEP, Keep, optional_text, parse_slug, required_text
from domain.chains.nodes import Node
from domain.shared.errors import IllegalTransition, InvalidValue, NotDeletable
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id


class TargetStage(StrEnum):
    """招商阶段: 线索, 对接洽谈, 签约落地, 开工建设, 投产, 放弃."""

    LEAD = "lead"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    UNDER_CONSTRUCTION = "under_construction"
    IN_PRODUCTION = "in_production"
    DROPPED = "dropped"


# The forward order; `dropped` stands outside it, reachable from any open stage.
PIPELINE = (
    TargetStage.LEAD,
    TargetStage.NEGOTIATING,
    TargetStage.SIGNED,
    TargetStage.UNDER_CONSTRUCTION,
    TargetStage.IN_PRODUCTION,
)
FINAL_STAGES = frozenset({TargetStage.IN_PRODUCTION, TargetStage.DROPPED})


@dataclass(eq=False)
class StageEntry:
    """阶段记录: the day a target entered a stage."""

    stage: TargetStage
    date: dt.date
    note: str | None = None
    id: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class EnterpriseNeeded:
    """投产: the target's company must now become (or link to) a registered enterprise on its node.

    `node_id` is None when the target was never placed on a node: register without linking.
    """

    target_id: str
    chain_id: str
    node_id: str | None
    company_name: str
    on: dt.date


@dataclass(eq=False)
class Target(RecordsEvents):
    """招商目标: a company or project courted for a chain and node; create it with `Target.create`."""

    chain_id: str
    company_name: str
    node_id: str | None = None
    planned_investment: Decimal | None = None
    contact: str | None = None
    note: str | None = None
    stage: TargetStage = TargetStage.LEAD
    stage_history: list[StageEntry] = field(default_factory=list)
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.company_name = _company_name(self.company_name)
        self.planned_investment = _investment(self.planned_investment)
        self.contact = optional_text(self.contact, field="contact")
        self.note = optional_text(self.note, field="note")

    @classmethod
    def create(
        cls,
        *,
        chain_id: str,
        company_name: str,
        on: dt.date,
        node: Node | None = None,
        planned_investment: Decimal | None = None,
        contact: str | None = None,
        note: str | None = None,
    ) -> Target:
        """Open a target: it enters `lead` on `on` (recorded as a stage change from null)."""
        target = cls(
            chain_id=chain_id,
            company_name=company_name,
            planned_investment=planned_investment,
            contact=contact,
            note=note,
        )
        target.place_on(node)
        target._enter(TargetStage.LEAD, on, None)
        return target

    @property
    def is_final(self) -> bool:
        """True once in production or dropped: nothing moves it any more."""
        return self.stage in FINAL_STAGES

    def entered_on(self, stage: TargetStage | str) -> dt.date | None:
        """The day the target entered `stage`, None when it never did (skipped or not yet)."""
        return next((e.date for e in self.stage_history if e.stage == stage), None)

    def move_to(
        self, stage: TargetStage | str, on: dt.date, note: str | None = None
    ) -> EnterpriseNeeded | None:
        """Move forward (skipping allowed) or drop an open target; tell the caller when it is in production.

        Backwards, the same stage, or out of `in_production`/`dropped` → IllegalTransition;
        `on` before the previous entry's date → InvalidValue (same day allowed).
        """
        stage = parse_slug(TargetStage, stage, field="stage", zh_name="招商阶段")
        if self.is_final:
            raise IllegalTransition(
                f"a target in {self.stage} cannot move any more",
                f"招商目标已处于最终阶段({self.stage}),不能再变更",
            )
        if stage != TargetStage.DROPPED and PIPELINE.index(stage) <= PIPELINE.index(self.stage):
            raise IllegalTransition(
                f"a target moves forward only: {self.stage} → {stage} refused",
                f"招商阶段只能向前推进:不能从{self.stage}变更为{stage}",
            )
        last = self.stage_history[-1].date if self.stage_history else None
        if last is not None and on < last:
            raise InvalidValue(
                f"the date may not precede {last.isoformat()}, the previous stage's",
                f"阶段日期不得早于上一阶段的日期{last.isoformat()}",
                field="date",
            )
        self._enter(stage, on, note)
        if stage != TargetStage.IN_PRODUCTION:
            return None
        return EnterpriseNeeded(self.id, self.chain_id, self.node_id, self.company_name, on)

    def place_on(self, node: Node | None) -> None:
        """Set the node the target would fill (None: no node yet); it must be of the target's chain."""
        if node is not None and node.chain_id != self.chain_id:
            raise InvalidValue("the node belongs to another chain", "该环节不属于此产业链", field="node_id")
        self.node_id = node.id if node is not None else None

    def revise(
        self,
        *,
        company_name: str | Keep = KEEP,
        planned_investment: Decimal | Keep | None = KEEP,
        contact: str | Keep | None = KEEP,
        note: str | Keep | None = KEEP,
    ) -> None:
        """Change the fields given (PATCH); the node changes with `place_on`, the stage with `move_to`."""
        if company_name is not KEEP:
            self.company_name = _company_name(company_name)
        if planned_investment is not KEEP:
            self.planned_investment = _investment(planned_investment)
        if contact is not KEEP:
            self.contact = optional_text(contact, field="contact")
        if note is not KEEP:
            self.note = optional_text(note, field="note")

    def _enter(self, stage: TargetStage, on: dt.date, note: str | None) -> None:
        previous = str(self.stage) if self.stage_history else None
        self.stage_history.append(StageEntry(stage=stage, date=on, note=optional_text(note, field="note")))
        self.stage = stage
        self.record_event(events.target_stage_changed(self, previous, on))


def check_no_targets(node_id: str, targets: Iterable[Target]) -> None:
    """Refuse to delete a node that targets are courted for: they would lose the step they fill."""
    if any(t.node_id == node_id for t in targets):
        raise NotDeletable("targets are courted for the node", "该环节还有招商目标,不能删除")


def _company_name(value: object) -> str:
    return required_text(
        value, field="company_name", en="the company needs a name", zh="企业(项目)名称不能为空"
    )


def _investment(value: object) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidValue(
            "planned_investment must be a decimal amount of at least 0 (万元)",
            "计划投资额须为不小于0的金额(万元)",
            field="planned_investment",
        )
    return value
