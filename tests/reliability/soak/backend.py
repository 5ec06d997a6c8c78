"""One backend's soak (the one GAOXIN_TEST_DATABASE_URL names, else SQLite), run by
`python -m tests.reliability.soak`:
1. the pytest ring of tests/reliability with more examples (schemathesis also in its coverage phase);
2. lost updates: increment races one after another;
3. receiver faults: the webhook receiver down and up while writes go on;
4. database faults under load (PostgreSQL only).
Prints the figures table; exit status 1 when any run found a problem.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability.figures import FIGURES_FILE, Figures
from tests.reliability.scenarios import contention, outage, webhooks

POSTGRES = "GAOXIN_TEST_DATABASE_URL"


def _ring(seconds: int, figures: Figures, env: dict[str, str]) -> list[str]:
    """The pytest ring with examples scaled to the duration; its own figures are merged into ours."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "figures.json"
        settings = {
            "GAOXIN_FUZZ_EXAMPLES": str(max(5, seconds // 2)),
            "GAOXIN_FUZZ_PHASES": "examples,coverage,fuzzing",
            "GAOXIN_HOSTILE_EXAMPLES": str(max(30, 2 * seconds)),
            FIGURES_FILE: str(target),
        }
        command = [sys.executable, "-m", "pytest", "tests/reliability", "-q"]
        shown = " ".join(f"{k}={v}" for k, v in settings.items() if k != FIGURES_FILE)
        print(f"$ {shown} python", *command[1:], flush=True)
        done = subprocess.run(command, env=env | settings, check=False)
        if target.exists():
            figures.merge(json.loads(target.read_text()))
    return [] if done.returncode == 0 else [f"pytest tests/reliability exited {done.returncode}"]


async def _scenarios(seconds: int, figures: Figures, postgres: bool) -> list[str]:
    problems = await contention.soak(seconds, figures)
    problems += await webhooks.soak(seconds, figures)
    if postgres:
        problems += await outage.soak(seconds, figures)
    return problems


def main() -> int:
    # Outages make thousands of expected "database unavailable" warnings; the figures count the 503s.
    logging.getLogger("gaoxin.errors").setLevel(logging.ERROR)
    seconds = int(os.environ.get("SOAK_SECONDS", "60"))
    postgres = POSTGRES in os.environ
    name = f"PostgreSQL (…@{os.environ[POSTGRES].rsplit('@', 1)[-1]})" if postgres else "SQLite"
    print(f"\n== soak on {name}: SOAK_SECONDS={seconds}", flush=True)
    began, figures = time.monotonic(), Figures()
    problems = _ring(seconds, figures, dict(os.environ))
    problems += asyncio.run(_scenarios(seconds, figures, postgres))
    print(f"\n== figures on {name} ({time.monotonic() - began:.0f} s)")
    print("\n".join(figures.table()), flush=True)
    for problem in problems:
        print(f"PROBLEM on {name}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
