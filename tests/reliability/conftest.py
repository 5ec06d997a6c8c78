"""Fixtures of the reliability ring, and its figures printed at the end of the run."""

from __future__ import annotations

from tests.reliability.figures import FIGURES


def pytest_terminal_summary(terminalreporter) -> None:
    if not FIGURES.as_dict():
        return
    terminalreporter.write_sep("=", "reliability figures")
    for line in FIGURES.table():
        terminalreporter.write_line(line)
    FIGURES.save()
