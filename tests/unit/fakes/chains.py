"""The chains context's repositories in memory (the ports of domain/chains/)."""

from __future__ import annotations


class ChainsRepositories:
    """Mixed into FakeUnitOfWork: `make_chains_repositories()` sets one attribute a repository port."""

    def make_chains_repositories(self) -> None:
        pass
