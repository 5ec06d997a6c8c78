"""Processes for the runner: start and stop servers, find uvicorn's workers, CPU and memory from /proc."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_pin() -> bool:
    """taskset exists and this process may use both CPU 0 and CPU 1."""
    return shutil.which("taskset") is not None and {0, 1} <= os.sched_getaffinity(0)


def pinned(command: list[str], cpus: str | None) -> list[str]:
    return ["taskset", "-c", cpus, *command] if cpus else command


@dataclass
class Server:
    """A server process we started, in its own session (process group) so that it stops as one."""

    name: str
    process: subprocess.Popen
    base_url: str
    log: Path
    workers: int
    command: list[str]
    env: dict
    port: int
    restarts: int = 0

    def alive(self) -> bool:
        return self.process.poll() is None

    def restart(self) -> None:
        """Start it again after something outside stopped it (the machine is shared)."""
        self.stop()
        fresh = start_server(self.name, self.command, self.env, self.port, self.log, self.workers)
        self.process, self.restarts = fresh.process, self.restarts + 1

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the process itself, or uvicorn's spawned workers."""
        if self.workers <= 1:
            return [self.process.pid]
        return [p for p in children(self.process.pid) if b"resource_tracker" not in _cmdline(p)]

    def all_pids(self) -> list[int]:
        return [self.process.pid, *children(self.process.pid)]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start_server(name: str, command: list[str], env: dict, port: int, log: Path, workers: int) -> Server:
    """Start `command` (already pinned), wait until /readyz or /ping answers 200."""
    handle = log.open("ab")
    process = subprocess.Popen(
        command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()
    server = Server(name, process, f"http://127.0.0.1:{port}", log, workers, command, env, port)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log}")
        for path in ("/readyz", "/ping"):
            try:
                if httpx.get(server.base_url + path, timeout=2).status_code == 200:
                    if workers > 1:
                        _wait_for_workers(server)
                    return server
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{name} did not become ready; see {log}")


def _wait_for_workers(server: Server) -> None:
    deadline = time.monotonic() + 60
    while len(server.worker_pids()) < server.workers and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # the last worker's start-up (imports, engine) before it takes connections


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc/<pid>/stat's ppid field."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and parent_of(int(entry.name)) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command's name (None when the process is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 when it is gone)."""
    fields = _stat_fields(pid)
    return 0 if fields is None else int(fields[11]) + int(fields[12])


def ended_children_ticks(pid: int) -> int:
    """cutime + cstime: the CPU of the children of `pid` that ended (and were waited for), in clock ticks."""
    fields = _stat_fields(pid)
    return 0 if fields is None else int(fields[13]) + int(fields[14])


def parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return None if fields is None else int(fields[1])


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return total - idle, total


def postmaster() -> int | None:
    """The PostgreSQL server's first process: the parent of the processes it titles `postgres: …`."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _cmdline(int(entry.name)).startswith(b"postgres: "):
            return parent_of(int(entry.name))
    return None


def postgres_pids(database: str | None) -> list[int]:
    """PostgreSQL backends connected to `database` (their process title names it)."""
    if not database:
        return []
    needle = f" {database} ".encode()
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and needle in _cmdline(int(entry.name)).replace(b"\0", b" ") + b" "
    ]


def status_kib(pid: int, field_name: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@contextmanager
def peak_memory(pids: list[int]):
    """Peak RSS of `pids` while the block runs: VmHWM after a reset, and VmRSS sampled every 20 ms."""
    out: dict = {"reset": all(reset_peak(p) for p in pids)}
    out["rss_before_mib"] = max((status_kib(p, "VmRSS") or 0) for p in pids) / 1024
    sampled = {"max": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            sampled["max"] = max(sampled["max"], *((status_kib(p, "VmRSS") or 0) for p in pids))
            stop.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield out
    finally:
        stop.set()
        thread.join()
        out["vmhwm_mib"] = max((status_kib(p, "VmHWM") or 0) for p in pids) / 1024
        out["sampled_max_rss_mib"] = sampled["max"] / 1024
        out["rss_after_mib"] = max((status_kib(p, "VmRSS") or 0) for p in pids) / 1024
        for key in ("rss_before_mib", "vmhwm_mib", "sampled_max_rss_mib", "rss_after_mib"):
            out[key] = round(out[key], 1)


def busiest(seconds: float = 2.0, n: int = 6) -> list[dict]:
    """The processes that used the most CPU over `seconds`: what else shares the machine right now."""

    def snapshot() -> dict[int, int]:
        return {int(e.name): cpu_ticks(int(e.name)) for e in Path("/proc").iterdir() if e.name.isdigit()}

    before = snapshot()
    time.sleep(seconds)
    after = snapshot()
    used = sorted(((after[p] - before.get(p, after[p]), p) for p in after), reverse=True)[:n]
    return [
        {
            "pid": pid,
            "cores": round(ticks / TICK / seconds, 2),
            "command": _cmdline(pid).replace(b"\0", b" ").decode(errors="replace").strip()[:120],
        }
        for ticks, pid in used
        if ticks > 0
    ]
