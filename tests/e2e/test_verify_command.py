"""`gaoxin verify` as an operator runs it: on a migrated, seeded SQLite file with the sample data set it
finds nothing (exit 0); a stored roll-up changed behind the service's back is named (exit 1)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.served import gaoxin, sample_database


def test_verify_finds_no_difference_then_names_the_task_whose_row_was_changed(tmp_path: Path):
    database, env = sample_database(tmp_path)
    with sqlite3.connect(database) as connection:
        (tasks,) = connection.execute("SELECT count(*) FROM tasks").fetchone()
        (rows,) = connection.execute("SELECT count(*) FROM task_rollups").fetchone()
    assert rows == tasks > 0  # the seed and the sample wrote every task's roll-up in their transactions

    clean = gaoxin(env, "verify")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no difference" in clean.stdout

    with sqlite3.connect(database) as connection:
        (task_id, progress) = connection.execute(
            "SELECT task_id, progress FROM task_rollups ORDER BY task_id LIMIT 1"
        ).fetchone()
        wrong = "12.5" if progress != "12.5" else "13"
        connection.execute("UPDATE task_rollups SET progress = ? WHERE task_id = ?", (wrong, task_id))
        (other, light) = connection.execute(
            "SELECT task_id, warning FROM task_rollups ORDER BY task_id DESC LIMIT 1"
        ).fetchone()
        wrong_light = "green" if light != "green" else "yellow"
        connection.execute("UPDATE task_rollups SET warning = ? WHERE task_id = ?", (wrong_light, other))
    corrupted = gaoxin(env, "verify")
    assert corrupted.returncode == 1
    lines = corrupted.stdout.splitlines()
    assert f"task {task_id}: progress stored {wrong}, recomputed {progress}" in lines[0]
    assert f"task {other}: warning stored {wrong_light}, recomputed {light}" in lines[1]
    assert lines[-1] == "verify: 2 difference(s)"
