"""The principal cache remembers only while it listens, and forgets at every notice of an identity change."""

from __future__ import annotations

import asyncio

import pytest

from domain.identity.policy import Principal
from infrastructure.security.principal_cache import CHANNEL, IDENTITY_CHANGE, PrincipalCache, listen

KEY = ("user", "u1", "s1")
ALICE = Principal(kind="user", id="u1", name="alice", roles=frozenset({"viewer"}), session_id="s1")


def test_an_off_cache_remembers_nothing():
    cache = PrincipalCache()
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) is None


def test_an_on_cache_remembers_what_a_read_found():
    cache = PrincipalCache()
    cache.enable()
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) == ALICE


def test_a_notice_during_a_read_forbids_remembering_what_it_found():
    cache = PrincipalCache()
    cache.enable()
    began = cache.generation
    cache.forget_all()  # the notice of a change committed while the read was under way
    cache.put(KEY, ALICE, read_in_generation=began)
    assert cache.get(KEY) is None


def test_a_notice_forgets_everything_and_turning_off_too():
    cache = PrincipalCache()
    cache.enable()
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    cache.forget_all()
    assert cache.get(KEY) is None
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    cache.disable()
    cache.enable()
    assert cache.get(KEY) is None


def test_the_least_recently_used_goes_first_when_full():
    cache = PrincipalCache(size=2)
    cache.enable()
    for key in (("user", "a", "1"), ("user", "b", "1")):
        cache.put(key, ALICE, read_in_generation=cache.generation)
    cache.get(("user", "a", "1"))
    cache.put(("user", "c", "1"), ALICE, read_in_generation=cache.generation)
    assert cache.get(("user", "b", "1")) is None
    assert cache.get(("user", "a", "1")) == ALICE
    assert cache.get(("user", "c", "1")) == ALICE


def test_after_its_own_change_a_process_answers_nothing_from_memory_until_that_change_is_noticed():
    cache = PrincipalCache()
    cache.enable()
    cache.expect_notice_from(41)  # this process commits a change on backend 41
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) is None
    cache.noticed(99)  # another backend's notice is not the one awaited
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) is None
    cache.noticed(41)
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) == ALICE


def test_two_changes_on_one_backend_wait_for_two_notices():
    cache = PrincipalCache()
    cache.enable()
    cache.expect_notice_from(41)
    cache.expect_notice_from(41)
    cache.noticed(41)
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) is None
    cache.noticed(41)
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) == ALICE


def test_a_change_whose_notice_never_comes_stops_the_wait_at_its_deadline():
    cache = PrincipalCache()
    cache.enable()
    cache.expect_notice_from(41, within=-1.0)  # a commit that failed: no notice will come
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    assert cache.get(KEY) == ALICE


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("UPDATE users SET active=$1::BOOLEAN WHERE users.id = $2::VARCHAR", True),
        ("UPDATE auth_sessions SET revoked_at=$1 WHERE auth_sessions.id = $2", True),
        ("UPDATE client_tokens SET revoked_at=? WHERE client_tokens.client_id = ?", True),
        ("DELETE FROM clients WHERE clients.id = $1::VARCHAR", True),
        ("TRUNCATE departments, users RESTART IDENTITY CASCADE", True),
        ("INSERT INTO auth_sessions (id, user_id, created_at) VALUES ($1, $2, $3)", False),
        ("SELECT users.id FROM users JOIN auth_sessions ON auth_sessions.user_id = users.id", False),
        ("UPDATE refresh_tokens SET used_at=$1 WHERE refresh_tokens.token_hash = $2", False),
        ("UPDATE users_archive SET x = 1", False),
    ],
)
def test_the_statements_that_fire_the_notice_triggers_are_recognized(statement, changes):
    assert bool(IDENTITY_CHANGE.match(statement)) is changes


class FakeListenConnection:
    """What `listen` uses of an asyncpg connection: listeners for a channel and for termination."""

    def __init__(self, *, answers: bool = True) -> None:
        self.channels: dict[str, object] = {}
        self.on_terminate = None
        self.closed = False
        self.answers = answers
        self.heartbeats = 0

    async def execute(self, _query: str) -> str:
        self.heartbeats += 1
        if not self.answers:
            await asyncio.sleep(3600)  # a connection that died without a reset: no answer, no error
        return "SELECT 1"

    async def add_listener(self, channel, callback) -> None:
        self.channels[channel] = callback

    def add_termination_listener(self, callback) -> None:
        self.on_terminate = callback

    async def close(self) -> None:
        self.closed = True

    def notify(self) -> None:
        self.channels[CHANNEL](self, 1, CHANNEL, "")

    def lose(self) -> None:
        self.on_terminate(self)


async def _until(condition) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the condition never held")


async def test_the_listener_turns_the_cache_on_forgets_on_notice_and_off_when_the_connection_is_lost():
    cache, stop, made = PrincipalCache(), asyncio.Event(), []

    async def connect():
        made.append(FakeListenConnection())
        return made[-1]

    loop = asyncio.create_task(listen(cache, connect, stop, retry_seconds=0.01))
    await _until(lambda: cache.enabled)
    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    made[-1].notify()
    assert cache.get(KEY) is None

    cache.put(KEY, ALICE, read_in_generation=cache.generation)
    made[-1].lose()
    await _until(lambda: len(made) == 2 and cache.enabled)  # reconnected: on again, and empty
    assert made[0].closed
    assert cache.get(KEY) is None

    stop.set()
    await loop
    assert not cache.enabled
    assert made[-1].closed


async def test_the_cache_stays_off_while_the_database_cannot_be_reached():
    cache, stop, attempts = PrincipalCache(), asyncio.Event(), []

    async def connect():
        attempts.append(1)
        raise OSError("connection refused")

    loop = asyncio.create_task(listen(cache, connect, stop, retry_seconds=0.01))
    await _until(lambda: len(attempts) >= 3)
    assert not cache.enabled
    stop.set()
    await loop


async def test_a_listener_whose_connection_stops_answering_turns_the_cache_off_and_reconnects():
    cache, stop, made = PrincipalCache(), asyncio.Event(), []

    async def connect():
        made.append(FakeListenConnection(answers=bool(made)))  # the first one goes silent, the next answers
        return made[-1]

    loop = asyncio.create_task(listen(cache, connect, stop, retry_seconds=0.01, heartbeat_seconds=0.02))
    await _until(lambda: len(made) == 2 and cache.enabled)
    assert made[0].closed and made[0].heartbeats == 1
    await _until(lambda: made[1].heartbeats >= 2)  # the live one is checked again and again, and kept
    assert cache.enabled and len(made) == 2
    stop.set()
    await loop
