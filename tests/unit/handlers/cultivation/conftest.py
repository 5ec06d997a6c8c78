"""Fixtures of the cultivation handler ring: a fresh in-memory unit of work and read log per test."""

from __future__ import annotations

import pytest

from tests.unit.fakes import FakeUnitOfWork
from tests.unit.handlers.cultivation.support import ReadLog


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(actor="officer_li")


@pytest.fixture
def reads() -> ReadLog:
    return ReadLog()
