"""Finding 7: password hashing as a denial of service. Hashing runs in a bounded pool off the event loop;
wrong passwords are counted per source address in the database (every worker sees the same count), and
past GAOXIN_LOGIN_SOURCE_FAILURES the address is refused before any hashing — 429 with Retry-After —
except for addresses in GAOXIN_LOGIN_TRUSTED_NETWORKS, which only the per-username lockout still binds."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from infrastructure.security.passwords import Argon2PasswordHasher
from services.api.app import create_app
from tests.conftest import make_settings
from tests.support.accounts import make_user
from tests.support.lifespan import running

LIMIT = 4  # failures from one address before it is refused
ATTACKER = "198.51.100.23"


class WatchedHasher(Argon2PasswordHasher):
    """The real hasher, noting on which thread each check ran."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.threads: list[threading.Thread] = []

    def _verify_now(self, secret: str, hashed: str | None) -> bool:
        self.threads.append(threading.current_thread())
        return super()._verify_now(secret, hashed)


@pytest.fixture
def settings(database_url):
    return make_settings(
        database_url, login_source_failures=LIMIT, login_trusted_networks="10.8.0.0/16, 2001:db8::/32"
    )


@pytest.fixture
def watched(app) -> WatchedHasher:
    settings = app.state.settings
    app.state.hasher = WatchedHasher(
        memory_cost=settings.password_memory_kib, time_cost=settings.password_time_cost
    )
    return app.state.hasher


def _from(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _login(http, username: str, password: str = "Wrong-pass-1") -> httpx.Response:
    form = {"grant_type": "password", "username": username, "password": password}
    return await http.post("/api/v1/auth/token", data=form)


async def test_hashing_runs_on_the_bounded_pool_not_on_the_event_loop(app, watched):
    await make_user(app, "zhou", ["viewer"])
    loop_thread = threading.current_thread()
    async with _from(app, "192.0.2.1") as http:
        answers = await asyncio.gather(*(_login(http, "zhou", "Gaoxin-2025") for _ in range(6)))
    assert {a.status_code for a in answers} == {200}
    assert watched.threads and loop_thread not in watched.threads
    assert {t.name.split("_")[0] for t in watched.threads} == {"gaoxin-hash"}
    assert len({t.ident for t in watched.threads}) <= app.state.settings.password_hash_threads


async def test_an_address_is_refused_before_hashing_past_its_limit(app, watched):
    async with _from(app, ATTACKER) as http:
        for n in range(LIMIT - 1):  # just under: each one is still checked
            assert (await _login(http, f"user{n}")).status_code == 400
        assert len(watched.threads) == LIMIT - 1
        at_limit = await _login(http, "another")  # the LIMIT-th failure: checked, then the address is shut
        assert at_limit.status_code == 400 and len(watched.threads) == LIMIT
        over = await _login(http, "yet-another")  # just over: refused before any hashing
    assert over.status_code == 429 and int(over.headers["retry-after"]) > 0
    assert over.json()["error"] == "temporarily_locked" and len(watched.threads) == LIMIT
    async with _from(app, "192.0.2.99") as elsewhere:  # another address is not concerned
        assert (await _login(elsewhere, "user0")).status_code == 400


async def test_every_worker_sees_the_same_count(app, database_url, settings):
    second = create_app(settings)
    async with (
        running(second),
        _from(app, ATTACKER) as one,
        _from(second, ATTACKER) as two,
    ):
        for n in range(LIMIT):
            assert (await _login(one if n % 2 else two, f"w{n}")).status_code == 400
        assert (await _login(one, "w-last")).status_code == 429
        assert (await _login(two, "w-last")).status_code == 429


async def test_trusted_networks_skip_the_address_limit_but_not_the_username_lockout(app, watched):
    await make_user(app, "wu", ["viewer"])
    async with _from(app, "10.8.3.4") as proxy:
        for n in range(LIMIT + 2):
            assert (await _login(proxy, f"mobile{n}")).status_code == 400
        assert (await _login(proxy, "wu", "Gaoxin-2025")).status_code == 200
        for _ in range(app.state.settings.login_lock_failures):
            await _login(proxy, "wu")
        assert (await _login(proxy, "wu", "Gaoxin-2025")).status_code == 429  # the username is locked
