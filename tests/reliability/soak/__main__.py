"""`python -m tests.reliability.soak` (`make soak`): the reliability scenarios for SOAK_SECONDS each,
with a figures table.

On SQLite always, and again on PostgreSQL when GAOXIN_TEST_DATABASE_URL is set (as `make test` does); each
backend in a process of its own (tests/reliability/soak/backend.py), since the test support reads the
backend at import. Exit status 1 when any run found a problem.
"""

from __future__ import annotations

import os
import subprocess
import sys

POSTGRES = "GAOXIN_TEST_DATABASE_URL"


def main() -> int:
    runs = [{k: v for k, v in os.environ.items() if k != POSTGRES}]
    if os.environ.get(POSTGRES):
        runs.append(dict(os.environ))
    failed = [
        env.get(POSTGRES, "sqlite")
        for env in runs
        if subprocess.run(
            [sys.executable, "-m", "tests.reliability.soak.backend"], env=env, check=False
        ).returncode
    ]
    print(
        "\n== soak:", f"problems on {', '.join(f.rsplit('@', 1)[-1] for f in failed)}" if failed else "clean"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
