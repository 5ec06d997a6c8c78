"""The identity context's repositories in memory (the ports of domain/identity/)."""

from __future__ import annotations


class IdentityRepositories:
    """Mixed into FakeUnitOfWork: `make_identity_repositories()` sets one attribute a repository port."""

    def make_identity_repositories(self) -> None:
        pass
