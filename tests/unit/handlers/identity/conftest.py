"""The identity ring's fixtures: an in-memory unit of work, hasher and signer."""

from __future__ import annotations

import pytest

from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.identity import FakeHasher, FakeSigner


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def hasher() -> FakeHasher:
    return FakeHasher()


@pytest.fixture
def signer() -> FakeSigner:
    return FakeSigner()
