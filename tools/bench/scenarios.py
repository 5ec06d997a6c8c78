"""What the benchmark asks of the API: the scenarios, their load levels, and the ids they use."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cultivation.credit_code import check_character
from domain.cultivation.eligibility import REGISTRY
from domain.cultivation.enterprises import CLUSTERS
from infrastructure.db.tables import chains as ch
from infrastructure.db.tables import cultivation as cu
from infrastructure.db.tables import planning as pl
from tools.bench.generate import BENCH_PLAN_TITLE

SCREENING_YEAR = 2025
IMPORT_ROWS = 10_000


@dataclass(frozen=True)
class Level:
    """One load level: `concurrency` clients for `duration` seconds or `count` requests (capped by `cap`)."""

    concurrency: int
    duration: float | None = None
    count: int | None = None
    warmup: float = 0.0
    warmup_count: int = 0
    cap: float = 120.0


@dataclass
class Scenario:
    key: str
    title: str
    requests: list[dict[str, Any]]
    levels: list[Level | None]
    expect: list[int] = field(default_factory=lambda: [200])
    mode: str = "load"
    measure_rss: bool = False
    per_request: bool = False
    keep_body: bool = False
    # The request that tells whether the route exists (404/405: "endpoint not available yet").
    probe: dict[str, Any] | None = None


@dataclass
class Ids:
    """What the scenarios name, read from the generated database."""

    enterprises: list[str]
    plan: str
    chains: list[str]
    open_leaves: list[str]


async def pick_ids(engine: AsyncEngine) -> Ids:
    async with engine.connect() as c:
        every = list(
            (
                await c.execute(
                    select(cu.enterprises.c.id)
                    .where(cu.enterprises.c.name.like("鞍山基准科技%"))
                    .order_by(cu.enterprises.c.id)
                )
            ).scalars()
        )
        plan = (
            await c.execute(select(pl.plans.c.id).where(pl.plans.c.title == BENCH_PLAN_TITLE))
        ).scalar_one()
        chains = list(
            (
                await c.execute(
                    select(ch.chains.c.id).where(ch.chains.c.code.like("bench-%")).order_by(ch.chains.c.id)
                )
            ).scalars()
        )
        t = pl.tasks.c
        parents = select(t.parent_id).where(t.parent_id.is_not(None))
        leaves = list(
            (
                await c.execute(
                    select(t.id)
                    .where(t.plan_id == plan, t.status == "in_progress", t.id.not_in(parents))
                    .order_by(t.id)
                    .limit(500)
                )
            ).scalars()
        )
    return Ids(random.Random(8).sample(every, 200), plan, chains, leaves)


def build_scenarios(ids: Ids, workbook: Path, quick: bool = False, workers: int = 1) -> list[Scenario]:
    """The issue's list, in order; `quick` shortens every level (for trying the harness, not for figures).

    With several workers only the loaded levels run (one client meets one worker: the same as with one).
    """
    d = 0.3 if quick else 1.0

    def timed(concurrency: int, seconds: float) -> Level | None:
        if workers > 1 and concurrency == 1:
            return None
        return Level(concurrency, duration=max(1.0, seconds * d), warmup=1.0 * d)

    def counted(concurrency: int, count: int, cap: float = 90) -> Level | None:
        if workers > 1 and concurrency == 1:
            return None
        # One request first, unmeasured, to warm the endpoint up; then `count` measured.
        return Level(concurrency, count=max(2, int(count * d)), warmup_count=1, cap=cap * d)

    month = f"{date.today():%Y-%m}"
    v1 = "/api/v1"
    scenarios = [
        Scenario(
            "get_enterprise",
            "GET one enterprise",
            [{"method": "GET", "path": f"{v1}/enterprises/{e}"} for e in ids.enterprises],
            [timed(1, 5), timed(16, 10)],
        ),
        Scenario(
            "list_enterprises",
            "list page of 50: enterprises?cluster=…",
            [{"method": "GET", "path": f"{v1}/enterprises?cluster={quote(c)}&limit=50"} for c in CLUSTERS],
            [timed(1, 5), timed(8, 10)],
        ),
        Scenario(
            "list_tasks",
            "list page of 50: tasks?status=…",
            [
                {"method": "GET", "path": f"{v1}/tasks?status={s}&limit=50"}
                for s in ("in_progress", "completed", "suspended", "not_started")
            ],
            [counted(1, 8), counted(4, 4)],
        ),
        Scenario(  # issue 18's figure: the busiest status, on its own, often enough for a p95
            "list_tasks_in_progress",
            "tasks page: tasks?status=in_progress",
            [{"method": "GET", "path": f"{v1}/tasks?status=in_progress&limit=50"}],
            [counted(1, 20)],
        ),
        Scenario(
            "plan_tree",
            "plan tree (5,000 tasks)",
            [{"method": "GET", "path": f"{v1}/plans/{ids.plan}/tree"}],
            [counted(1, 10), counted(4, 4)],
        ),
        Scenario(  # the plan's last year: as of 31 December 2025, from history
            "plan_evaluation",
            "final evaluation (2025, as of 2025-12-31)",
            [{"method": "GET", "path": f"{v1}/plans/{ids.plan}/evaluation?year=2025"}],
            [counted(1, 6), counted(4, 4)],
        ),
        Scenario(  # issue 19: the same evaluation as the Word report, drawn in a worker thread
            "evaluation_docx",
            "final evaluation report (.docx, 2025)",
            [{"method": "GET", "path": f"{v1}/plans/{ids.plan}/evaluation.docx?year=2025"}],
            [counted(1, 3, cap=180)],
        ),
        Scenario(
            "chain_map",
            "chain map",
            [{"method": "GET", "path": f"{v1}/chains/{c}/map"} for c in ids.chains],
            [timed(1, 5), timed(8, 10)],
        ),
        Scenario(
            "post_report",
            "POST a progress report",
            [
                {
                    "method": "POST",
                    "path": f"{v1}/tasks/{t}/progress-reports",
                    "json": {"period": month, "percent": 60, "summary": "基准测试:本月按计划推进。"},
                }
                for t in ids.open_leaves
            ],
            [timed(1, 5), timed(4, 10)],
            expect=[201],
            probe={"method": "POST", "path": f"{v1}/tasks/{ids.open_leaves[0]}/progress-reports", "json": {}},
        ),
        Scenario(
            "event_feed",
            "event feed: page through every event (limit=200)",
            [{"method": "GET", "path": f"{v1}/events?limit=200"}],
            [Level(1, duration=300)],
            mode="feed",
        ),
        Scenario(
            "screening",
            "screening over 50,000 enterprises (each rule set once)",
            [
                {
                    "method": "POST",
                    "path": f"{v1}/screenings",
                    "json": {"rule_set": name, "year": SCREENING_YEAR},
                    "label": name,
                }
                for name in REGISTRY.names()
            ],
            [Level(1, count=len(REGISTRY.names()), warmup_count=1, cap=180 * d)],
            measure_rss=True,
            per_request=True,
            probe={"method": "POST", "path": f"{v1}/screenings", "json": {}},
        ),
    ]
    scenarios.append(
        Scenario(
            "import_enterprises",
            f"import a {IMPORT_ROWS:,}-row workbook (enterprises)",
            [
                {
                    "method": "POST",
                    "path": f"{v1}/imports/enterprises",
                    "body_file": str(workbook),
                    "content_type": f"multipart/form-data; boundary={BOUNDARY}",
                }
            ],
            [Level(1, count=1, cap=300)],
            expect=[200, 201],
            measure_rss=True,
            keep_body=True,
            probe={
                "method": "POST",
                "path": f"{v1}/imports/enterprises",
                "content_type": f"multipart/form-data; boundary={BOUNDARY}",
                "body": f"--{BOUNDARY}--\r\n",
            },
        )
    )
    scenarios.append(
        Scenario(
            "export_enterprises",
            "export the enterprises workbook",
            [{"method": "GET", "path": f"{v1}/exports/enterprises.xlsx"}],
            [Level(1, count=1, cap=300)],
            measure_rss=True,
        )
    )
    for scenario in scenarios:
        scenario.levels = [level for level in scenario.levels if level is not None]
    return [scenario for scenario in scenarios if scenario.levels]  # one client only: not with 2 workers


BOUNDARY = "gaoxinbenchboundary7d2f"
HEADERS = ["企业名称", "统一社会信用代码", "注册日期", "所在组团", "是否上市", "股票代码"]


def write_import_workbook(path: Path, rows: int = IMPORT_ROWS, offset: int = 0) -> Path:
    """A workbook of `rows` new enterprises (API.md's Chinese headers), wrapped as a multipart body."""
    from io import BytesIO

    from openpyxl import Workbook

    rng = random.Random(f"import:{offset}")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append(HEADERS)
    for n in range(offset, offset + rows):
        first17 = f"91210300{800_000_000 + n:09d}"
        sheet.append(
            [
                f"鞍山导入企业{n:06d}有限公司",
                first17 + check_character(first17),
                date(rng.randint(2000, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                rng.choice(CLUSTERS),
                "否",
                None,
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="enterprises.xlsx"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    path.write_bytes(head + buffer.getvalue() + f"\r\n--{BOUNDARY}--\r\n".encode())
    return path
