"""The real `gaoxin` commands as subprocesses, spoken to only over sockets, as users and neighbours do."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.receiver import free_port

GAOXIN = str(Path(sys.executable).with_name("gaoxin"))
SECRET = "e2e-secret-key-of-more-than-thirty-two-characters"
ADMIN_PASSWORD = "E2e-Ring-2025!"


def served_env(database_url: str, **settings: str) -> dict[str, str]:
    """The process environment: this one without any GAOXIN_ setting, then the test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAOXIN_")}
    env |= {
        "GAOXIN_ENVIRONMENT": "test",
        "GAOXIN_DATABASE_URL": database_url,
        "GAOXIN_SECRET_KEY": SECRET,
        "GAOXIN_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # Argon2 at its lowest cost: the ring signs in often; production keeps the default.
        "GAOXIN_PASSWORD_MEMORY_KIB": "1024",
        "GAOXIN_PASSWORD_TIME_COST": "1",
        "GAOXIN_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "GAOXIN_LOG_FORMAT": "json",
    }
    return env | {f"GAOXIN_{k.upper()}": v for k, v in settings.items()}


def gaoxin(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run one `gaoxin` command to its end, as an operator at a console does."""
    return subprocess.run([GAOXIN, *args], env=env, capture_output=True, text=True, timeout=300)


def sample_database(folder: Path) -> tuple[Path, dict[str, str]]:
    """A SQLite file migrated, seeded and with the sample data set, by the commands themselves."""
    database = folder / "gaoxin.db"
    env = served_env(f"sqlite+aiosqlite:///{database}")
    for command in (["migrate"], ["seed"], ["sample"]):
        done = gaoxin(env, *command)
        assert done.returncode == 0, done.stderr
    return database, env


class Served:
    """One `gaoxin` command (`serve`, `relay`, …) running in its own process, its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, *, port: int | None = None) -> None:
        self.args, self.env, self.log = args, env, log
        self.port = port
        self.process: asyncio.subprocess.Process | None = None

    @classmethod
    def serve(cls, env: dict[str, str], log: Path, *extra: str) -> Served:
        port = free_port()
        return cls(["serve", "--host", "127.0.0.1", "--port", str(port), *extra], env, log, port=port)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, *, ready_within: float = 90.0) -> Served:
        """Start the command; for a server, wait until /readyz answers 200."""
        self._output = self.log.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            GAOXIN, *self.args, env=self.env, stdout=self._output, stderr=asyncio.subprocess.STDOUT
        )
        if self.port is not None:
            await self._wait_ready(ready_within)
        return self

    async def _wait_ready(self, within: float) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2) as http:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise AssertionError(f"`gaoxin {self.args[0]}` exited early:\n{self.output()}")
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(f"`gaoxin {self.args[0]}` not ready within {within} s:\n{self.output()}")

    async def stop(self, sig: int = signal.SIGTERM, *, within: float = 30.0) -> int:
        """Send `sig` and wait for the exit code (killed, and the test failed, if it does not end in time)."""
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(sig)
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout=within)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"`gaoxin {self.args[0]}` ignored signal {sig}:\n{self.output()}") from None
        finally:
            self._output.close()
        return code

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-6000:]

    async def __aenter__(self) -> Served:
        return await self.start()

    async def __aexit__(self, *exc_info) -> None:
        await self.stop()
