"""`gaoxin report PLAN_ID --year Y --out FILE.docx` as an operator runs it: on a migrated and seeded SQLite
file, a document that opens, a progress bar on the console, and exit codes that say what went wrong."""

from __future__ import annotations

import sqlite3
from io import BytesIO
from pathlib import Path

from docx import Document

from tests.e2e.served import gaoxin, sample_database


def test_the_report_command_writes_the_final_evaluation_of_the_seeded_plan(tmp_path: Path):
    database, env = sample_database(tmp_path)
    with sqlite3.connect(database) as connection:
        [(plan_id, title)] = connection.execute("SELECT id, title FROM plans").fetchall()

    out = tmp_path / "终期评估.docx"
    done = gaoxin(env, "report", plan_id, "--year", "2025", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (
        "图表 [" in done.stderr
        and "10/10" in done.stderr
        and "章节 [" in done.stderr
        and "6/6" in done.stderr
    )
    assert str(out) in done.stdout and "(final)" in done.stdout
    document = Document(BytesIO(out.read_bytes()))
    cover = [p.text for p in document.paragraphs[:30]]
    assert title in cover and "终期评估报告" in cover and "数据截至：2025年12月31日" in cover
    assert (
        len(document.inline_shapes) == 10
    )  # five areas' indicator paths, two of cultivation, three of chains

    unknown = gaoxin(env, "report", "no-such-plan", "--year", "2025", "--out", str(tmp_path / "x.docx"))
    assert unknown.returncode == 1 and "no plan has the id no-such-plan" in unknown.stderr
    outside = gaoxin(env, "report", plan_id, "--year", "2026", "--out", str(tmp_path / "x.docx"))
    assert outside.returncode == 1 and "2021–2025" in outside.stderr
    nowhere = gaoxin(env, "report", plan_id, "--year", "2025", "--out", str(tmp_path / "no" / "x.docx"))
    assert nowhere.returncode == 2 and "cannot write" in nowhere.stderr
    assert not (tmp_path / "x.docx").exists()
