"""The integration context's repositories in memory (the ports of domain/integration/)."""

from __future__ import annotations


class IntegrationRepositories:
    """Mixed into FakeUnitOfWork: `make_integration_repositories()` sets one attribute a repository port."""

    def make_integration_repositories(self) -> None:
        pass
