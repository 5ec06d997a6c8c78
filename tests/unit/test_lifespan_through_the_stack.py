"""No test starts an app's lifespan around its middleware (the router's own lifespan context): that once hid
a relay that never started under `gaoxin serve`. Tests use tests/support/lifespan.py's `running(app)`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHORTCUT = "router." + "lifespan_context("  # split, so that this file does not name it itself


def test_no_test_enters_the_lifespan_around_the_middleware():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("tests", "tools")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SHORTCUT in line
    ]
    assert not offenders, "use tests.support.lifespan.running(app) instead:\n" + "\n".join(offenders)
