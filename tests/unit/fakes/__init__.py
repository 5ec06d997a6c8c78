"""The unit of work in memory, for the handler ring (tests/unit/handlers): no database, seconds to run.

`FakeUnitOfWork` carries every context's repositories (one mixin a context, in this folder); `commit()`
collects the events of the aggregates the repositories handed out, as the real one writes them to the
outbox, into `published`; `audited` holds what `audit()` logged. A handler that refuses leaves
`commits == 0`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Self

from domain.shared.events import DomainEvent
from tests.unit.fakes.chains import ChainsRepositories
from tests.unit.fakes.cultivation import CultivationRepositories
from tests.unit.fakes.identity import IdentityRepositories
from tests.unit.fakes.integration import IntegrationRepositories
from tests.unit.fakes.planning import PlanningRepositories
from tests.unit.fakes.sweep import SweepRepositories


class FakeUnitOfWork(
    IdentityRepositories,
    PlanningRepositories,
    CultivationRepositories,
    ChainsRepositories,
    IntegrationRepositories,
    SweepRepositories,
):
    """Implements every context's unit of work port (domain/<context>/ports.py) in memory."""

    def __init__(self, *, actor: str | None = "test") -> None:
        self.actor = actor
        self.commits = 0
        self.flushes = 0
        self.published: list[DomainEvent] = []
        self.audited: list[dict[str, Any]] = []
        self._recorded: list[DomainEvent] = []
        self._repositories: list[Any] = []
        self.make_identity_repositories()
        self.make_planning_repositories()
        self.make_cultivation_repositories()
        self.make_chains_repositories()
        self.make_integration_repositories()
        self.make_sweep_repositories()

    def _repository(self, kind: type) -> Any:
        repository = kind(self)
        self._repositories.append(repository)
        return repository

    @property
    def committed(self) -> bool:
        return self.commits > 0

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    async def side_by_side(self, *reads: Callable[[Self], Awaitable[Any]]) -> list[Any]:
        return [await read(self) for read in reads]  # in memory: nothing to wait for side by side

    def record(self, event: DomainEvent) -> None:
        self._recorded.append(event)

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        self.audited.append(
            {"action": action, "resource_type": resource_type, "resource_id": resource_id, **after}
        )

    async def flush(self) -> None:
        self.flushes += 1

    async def commit(self) -> None:
        events, self._recorded = list(self._recorded), []
        for repository in self._repositories:
            for entity in repository.remembered():
                events.extend(entity.pull_events())
        self.published.extend(sorted(events, key=lambda e: e.occurred_at))
        self.commits += 1

    async def rollback(self) -> None:
        self._recorded.clear()

    def published_types(self) -> list[str]:
        return [event.type for event in self.published]
