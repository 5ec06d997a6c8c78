"""What the cultivation handler ring shares: a fixed today, who asks, records put straight into the fakes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.sensitive import SensitiveRead
from domain.identity.policy import Principal

TODAY = date(2024, 6, 15)
OFFICER = Principal(kind="user", id="u-officer", name="officer_li", roles=frozenset({"officer"}))
VIEWER = Principal(kind="user", id="u-viewer", name="viewer_wang", roles=frozenset({"viewer"}))


def enterprise_in(uow: Any, name: str = "荣信兴业", **details: Any) -> Enterprise:
    """An enterprise already in the registry (registered before the test: no event of its own)."""
    enterprise = Enterprise(name=name, **details)
    uow.enterprises.items[enterprise.id] = enterprise
    return enterprise


def certification_in(
    uow: Any, enterprise: Enterprise, kind: str, issued_on: date, **details: Any
) -> Certification:
    """A certification already recorded for the enterprise."""
    certification = Certification(enterprise_id=enterprise.id, kind=kind, issued_on=issued_on, **details)
    uow.certifications.items[certification.id] = certification
    return certification


def metrics_in(uow: Any, enterprise: Enterprise, year: int, **figures: Any) -> AnnualMetrics:
    """A year's figures already recorded for the enterprise."""
    record = AnnualMetrics(enterprise_id=enterprise.id, year=year, **figures)
    uow.annual_metrics.items[record.id] = record
    return record


class ReadLog:
    """The RecordReads port in memory: every batch of sensitive reads a handler logged, in order."""

    def __init__(self) -> None:
        self.batches: list[list[SensitiveRead]] = []

    async def __call__(self, reads: Sequence[SensitiveRead]) -> None:
        self.batches.append(list(reads))

    @property
    def reads(self) -> list[SensitiveRead]:
        return [read for batch in self.batches for read in batch]


class Refuse(Exception):
    """What a test's expectation raises to refuse the state it was shown (as a stale If-Match does)."""


class Expect:
    """An expectation (If-Match) that remembers what it was shown, refusing it when told to."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.refuse = refuse
        self.shown: list[Any] = []

    def __call__(self, current: Any) -> None:
        self.shown.append(current)
        if self.refuse:
            raise Refuse
