"""`gaoxin report PLAN_ID --year Y --out FILE.docx`: the evaluation report (评估报告) of GET
/plans/{id}/evaluation.docx, from the same body, written to a file with a progress bar on the console."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, TextIO

from domain.integration.evaluation_report import evaluation_report
from domain.shared.clock import SystemClock
from domain.shared.errors import InvalidValue, NotFound
from infrastructure.settings import get_settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.routers.planning.evaluation_body import render_docx, report_json
from services.bootstrap import session_factory_for

BAR_WIDTH = 24


class ProgressBar:
    """The renderer's progress (`step`, done, total) as one line per step, rewritten in place with `\\r`
    (no library: the service's dependencies bring none for the console)."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream

    def __call__(self, step: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        end = "\n" if done >= total else ""
        print(f"\r{step} [{bar}] {done}/{total}", end=end, file=self.stream, flush=True)


async def _body(plan_id: str, year: int) -> tuple[dict[str, Any], str]:
    async with (
        session_factory_for(get_settings()) as factory,
        SqlAlchemyUnitOfWork(factory, write=False, actor="cli") as uow,
    ):
        report = await evaluation_report(plan_id, year, today=SystemClock().today(), uow=uow)
        return report_json(report), report.plan.title


def cmd_report(args: argparse.Namespace) -> int:
    """Write the evaluation report of a plan year; 1 for an unknown plan or a year outside it, 2 when the
    file cannot be written."""
    out = Path(args.out)
    if not out.parent.is_dir():  # said before the seconds of drawing, not after
        print(f"gaoxin: cannot write {out}: no directory {out.parent}", file=sys.stderr)
        return 2
    print(f"evaluating plan {args.plan_id}, year {args.year} …", file=sys.stderr, flush=True)
    try:
        body, title = asyncio.run(_body(args.plan_id, args.year))
    except NotFound:
        print(f"gaoxin: no plan has the id {args.plan_id} (规划不存在)", file=sys.stderr)
        return 1
    except InvalidValue as exc:
        print(f"gaoxin: {exc.en} ({exc.zh})", file=sys.stderr)
        return 1
    content = render_docx(body, generated_on=SystemClock().today(), progress=ProgressBar())
    try:
        out.write_bytes(content)
    except OSError as exc:
        print(f"gaoxin: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"{args.out}: {title} {args.year} ({body['kind']}), {len(content):,} bytes")
    return 0


def add_report_command(sub: Any) -> None:
    """Register `report` on the `gaoxin` parser's subcommands."""
    report = sub.add_parser("report", help="write the evaluation report (评估报告) of a plan year as .docx")
    report.add_argument("plan_id", metavar="PLAN_ID")
    report.add_argument("--year", type=int, required=True, help="a year of the plan (its last: final)")
    report.add_argument("--out", required=True, help="the .docx file to write")
    report.set_defaults(func=cmd_report)
