"""产业链: the chain aggregate."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.chains import events
from domain.chains._checks import KEEP, Keep, optional_text, required_text
from domain.chains.gaps import GapChanges
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id


@dataclass(eq=False)
class Chain(RecordsEvents):
    """产业链: a chain the zone builds (强链补链延链), with its group and leading enterprise (链主企业)."""

    name: str
    code: str | None = None
    group: str | None = None
    description: str | None = None
    leader_enterprise_id: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.name = _name(self.name)
        self.code = optional_text(self.code, field="code")
        self.group = optional_text(self.group, field="group")
        self.description = optional_text(self.description, field="description")
        self.leader_enterprise_id = optional_text(self.leader_enterprise_id, field="leader_enterprise_id")

    def revise(
        self,
        *,
        name: str | Keep = KEEP,
        code: str | Keep | None = KEEP,
        group: str | Keep | None = KEEP,
        description: str | Keep | None = KEEP,
        leader_enterprise_id: str | Keep | None = KEEP,
    ) -> None:
        """Change the fields given (PATCH); None clears an optional field."""
        if name is not KEEP:
            self.name = _name(name)
        if code is not KEEP:
            self.code = optional_text(code, field="code")
        if group is not KEEP:
            self.group = optional_text(group, field="group")
        if description is not KEEP:
            self.description = optional_text(description, field="description")
        if leader_enterprise_id is not KEEP:
            self.leader_enterprise_id = optional_text(leader_enterprise_id, field="leader_enterprise_id")

    def record_gap_changes(self, changes: GapChanges) -> None:
        """Record `chain.node_gap_opened` / `chain.node_gap_closed`, one event per node.

        A gap that closed because its node was deleted says so (`node_removed`: true), so that a
        consumer keeping a list of open gaps stays right.
        """
        for node_id in changes.opened:
            self.record_event(events.chain_node_gap_opened(self.id, node_id))
        for node_id in changes.closed:
            removed = node_id in changes.removed
            self.record_event(events.chain_node_gap_closed(self.id, node_id, node_removed=removed))


def _name(value: object) -> str:
    return required_text(value, field="name", en="the chain needs a name", zh="产业链名称不能为空")
