"""Deliveries (推送记录): each event to each webhook, retried with backoff until it lands or runs out."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.shared.errors import Conflict
from domain.shared.ids import new_id


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What one attempt met: an HTTP status (None when the request failed) and Retry-After, if any."""

    status_code: int | None
    error: str | None = None
    retry_after_seconds: float | None = None


@dataclass(eq=False, kw_only=True)
class Delivery:
    """推送记录: one event for one webhook; `attempts` counts tries, `next_attempt_at` is the next one."""

    id: str = field(default_factory=new_id)
    webhook_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None

    def record(
        self, outcome: Outcome, now: datetime, backoff: list[float], jitter: float | None = None
    ) -> bool:
        """Apply one attempt's outcome; return True when the endpoint answered 410 and must be disabled."""
        self.attempts += 1
        self.last_status_code, self.last_error = outcome.status_code, outcome.error
        code = outcome.status_code
        if code is not None and 200 <= code < 300:
            self.status, self.delivered_at = DeliveryStatus.SUCCEEDED, now
            return False
        if code == 410:
            self.status = DeliveryStatus.FAILED
            return True
        if self.attempts > len(backoff):
            self.status = DeliveryStatus.FAILED
            return False
        delay = backoff[self.attempts - 1]
        # ±20 % jitter so that a receiver coming back is not hit by every relay at the same instant.
        delay *= 1 + (jitter if jitter is not None else random.uniform(-0.2, 0.2))
        if outcome.retry_after_seconds is not None:
            delay = max(delay, outcome.retry_after_seconds)
        self.next_attempt_at = now + timedelta(seconds=delay)
        return False

    def retry(self, now: datetime) -> None:
        """An admin's redelivery of a failed delivery: the schedule starts again."""
        if self.status is not DeliveryStatus.FAILED:
            raise Conflict("only a failed delivery can be retried", "只有失败的推送可以重试")
        self.status, self.attempts, self.next_attempt_at = DeliveryStatus.PENDING, 0, now
