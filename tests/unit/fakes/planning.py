"""The planning context's repositories in memory (the ports of domain/planning/)."""

from __future__ import annotations


class PlanningRepositories:
    """Mixed into FakeUnitOfWork: `make_planning_repositories()` sets one attribute a repository port."""

    def make_planning_repositories(self) -> None:
        pass
