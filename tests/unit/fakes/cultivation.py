"""The cultivation context's repositories in memory (the ports of domain/cultivation/)."""

from __future__ import annotations


class CultivationRepositories:
    """Mixed into FakeUnitOfWork: `make_cultivation_repositories()` sets one attribute a repository port."""

    def make_cultivation_repositories(self) -> None:
        pass
