"""Where a server's time goes: py-spy samples the running worker while the load driver calls one endpoint.

    py-spy record --pid PID --rate 200 --format raw --nonblocking --output FILE   (stopped with SIGINT)

py-spy reads the worker's stacks from outside (ptrace), so the server runs exactly as under load, with
no profiler inside it. Only samples where a thread was running count (py-spy leaves idle threads out);
that includes time the thread spends in C code (uvloop, asyncpg's protocol, sqlite3) under the Python
frame that called it. Self time is charged to the innermost frame and grouped by layer.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

# First match wins, on the innermost frame's file.
LAYERS = (
    ("our domain", ("/domain/",)),
    ("our infrastructure (repositories, unit of work)", ("/infrastructure/",)),
    ("our API layer", ("/services/",)),
    ("SQLAlchemy", ("/sqlalchemy/",)),
    ("asyncpg (driver, protocol)", ("/asyncpg/",)),
    ("aiosqlite / sqlite3", ("/aiosqlite/", "/sqlite3/")),
    ("pydantic", ("/pydantic/", "pydantic_core")),
    ("FastAPI / Starlette", ("/fastapi/", "/starlette/")),
    ("uvicorn (HTTP)", ("/uvicorn/", "/httptools/", "/h11/")),
    ("openpyxl (workbooks)", ("/openpyxl/", "/et_xmlfile/", "/xml/")),
    ("JSON", ("/json/",)),
    ("logging", ("/logging/", "/prometheus_client/")),
    ("event loop (uvloop's C: sockets, callbacks)", ("/asyncio/runners.py",)),
    ("asyncio / threads", ("/asyncio/", "/threading.py", "/concurrent/", "/anyio/", "/queue.py")),
    ("greenlet bridge", ("/greenlet/",)),
)
OTHER = "other (standard library, C extensions)"


def py_spy() -> str | None:
    """The py-spy executable beside this interpreter (installed by `make install`), else on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start(pid: int, output: Path, rate: int = 200) -> subprocess.Popen:
    """Start sampling `pid`; stop with `stop()`."""
    command = [py_spy() or "py-spy", "record", "--pid", str(pid), "--rate", str(rate)]
    command += ["--format", "raw", "--nonblocking", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(recorder: subprocess.Popen) -> str:
    """Stop sampling (py-spy writes its file on SIGINT); its last words."""
    recorder.send_signal(signal.SIGINT)
    try:
        _, err = recorder.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        recorder.kill()
        _, err = recorder.communicate()
    lines = (err or "").strip().splitlines()
    return lines[-1] if lines else ""


def _file(frame: str) -> str:
    # A raw frame reads "function (package/module.py:line)", the path relative to its sys.path entry.
    return "/" + frame[frame.rfind("(") + 1 :] if "(" in frame else frame


def _function(frame: str) -> str:
    """The frame without its line number: "function (package/module.py)"."""
    head, colon, line = frame.rpartition(":")
    return head + ")" if colon and line.rstrip(")").isdigit() else frame


def layer_of(frame: str) -> str:
    path = _file(frame)
    for name, needles in LAYERS:
        if any(needle in path for needle in needles):
            return name
    return OTHER


def summarize(raw: Path, top: int = 15) -> dict[str, Any]:
    """Samples; self time by layer; the functions with most self time; our functions by inclusive time."""
    total, by_layer, by_self, ours = 0, Counter(), Counter(), Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        by_layer[layer_of(frames[-1])] += n
        by_self[frames[-1]] += n
        # Inclusive time by function (a frame names its line; one function appears on several).
        for function in {_function(f) for f in frames}:
            if any(part in _file(function) for part in ("/domain/", "/infrastructure/", "/services/api/")):
                ours[function] += n

    def share(counter: Counter, k: int) -> list[list[Any]]:
        return [[name, round(100 * n / total, 1)] for name, n in counter.most_common(k)] if total else []

    return {
        "samples": total,
        "by_layer": share(by_layer, len(LAYERS) + 1),
        "top_self": share(by_self, top),
        "ours_inclusive": share(ours, top),
    }


def markdown(name: str, profile: dict[str, Any]) -> str:
    """One endpoint's profile as a few Markdown lines."""
    if "error" in profile:
        return f"**{name}**: profiling failed ({profile['error']})"
    lines = [f"**{name}** — {profile['samples']} samples, {profile.get('requests', '?')} requests"]

    def shares(rows: list, code: bool = True) -> str:
        tick = "`" if code else ""
        return " · ".join(f"{tick}{n}{tick} {p} %" for n, p in rows[:8])

    lines.append("self time by layer: " + shares(profile["by_layer"], code=False))
    lines.append("most self time: " + shares(profile["top_self"]))
    lines.append("our code, inclusive: " + shares(profile["ours_inclusive"]))
    return "\n\n".join(lines)
