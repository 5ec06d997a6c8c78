"""Login abuse (登录失败处理): after N failed passwords in a row a username is locked for a while; past a
far higher count of failures from one network address, that address is refused before any hashing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.shared.networks import Network, within


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


@dataclass(frozen=True)
class SourcePolicy:
    """How many failed passwords one address may send within a window before it is refused for the rest
    of it; `trusted` networks (the mobile app's backend, a proxy) are never refused by address."""

    max_failures: int = 100
    window_minutes: int = 15
    trusted: tuple[Network, ...] = ()

    def limits(self, source: str | None) -> bool:
        """Whether the address limit applies to this source (an unknown source cannot be counted)."""
        return source is not None and not within(source, self.trusted)


@dataclass(eq=False)
class SourceThrottle:
    """The failures counted for one network address in the current window (kept in the database, so that
    every worker counts the same). A success does not reset it: one good account must not launder a flood."""

    source: str
    failures: int = 0
    window_started: datetime | None = None
    locked_until: datetime | None = None

    def locked_for(self, now: datetime) -> int:
        """Seconds the address stays refused (0 when it is not)."""
        if self.locked_until is None or now >= self.locked_until:
            return 0
        return max(1, int((self.locked_until - now).total_seconds() + 0.999))

    def fail(self, now: datetime, policy: SourcePolicy) -> None:
        window = timedelta(minutes=policy.window_minutes)
        expired = self.window_started is None or now >= self.window_started + window
        if expired or (self.locked_until is not None and now >= self.locked_until):
            self.failures, self.window_started, self.locked_until = 0, now, None
        self.failures += 1
        if self.failures >= policy.max_failures:
            self.locked_until = now + window
