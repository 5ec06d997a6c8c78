"""Login abuse (登录失败处理): after N failed passwords in a row a username is locked for a while."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures lock a username, and for how long (configurable)."""

    max_failures: int = 10
    lock_minutes: int = 15


@dataclass(eq=False)
class LoginThrottle:
    """The failure count of one username — kept for unknown usernames too, so nothing reveals which exist."""

    username: str
    failures: int = 0
    locked_until: datetime | None = None

    def locked_for(self, now: datetime) -> int:
        """Seconds the username stays locked (0 when it is not)."""
        if self.locked_until is None or now >= self.locked_until:
            return 0
        return max(1, int((self.locked_until - now).total_seconds() + 0.999))

    def fail(self, now: datetime, policy: ThrottlePolicy) -> None:
        if self.locked_until is not None and now >= self.locked_until:
            self.failures, self.locked_until = 0, None
        self.failures += 1
        if self.failures >= policy.max_failures:
            self.locked_until = now + timedelta(minutes=policy.lock_minutes)

    def succeed(self) -> None:
        self.failures, self.locked_until = 0, None
