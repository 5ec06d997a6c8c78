"""Deterministic benchmark data, bulk-inserted with SQLAlchemy Core (executemany in chunks).

    .venv/bin/python -m tools.bench.generate --url sqlite+aiosqlite:///var/bench.db --scale stress
    .venv/bin/python -m tools.bench.generate --scale realistic \\
        --url postgresql+asyncpg://root@127.0.0.1:5432/gaoxin_bench

The database is migrated first (infrastructure.db.migrate.upgrade) and the plan's own data set seeded
(`gaoxin seed`); then, beside it, from a fixed seed:

- realistic: a second plan with 300 tasks and monthly reports, 500 enterprises, 5 chains, 500 events …
- stress:    one plan with 5,000 tasks (10 key tasks › 100 sections › 4,890 work items) and five years of
  monthly reports on every work item that started (≈ 250,000); 24 indicators with five years of values;
  50,000 enterprises with five years of metrics (2021–2025) and five years of certifications;
  50 chains with 500 nodes (10 a chain) and 5,000 investment targets (100 a chain) in total;
  100,000 events in the outbox; each started task's dated moves (task_transitions).

Every value comes from `random.Random(f"{seed}:{section}")`. Ids have the format of
domain.shared.ids.new_id (48 bits of milliseconds, 80 random bits, 32 hex characters) but are drawn from
the seeded generator with a clock that starts on 2021-01-01 and advances one millisecond an id, so that
two runs write the same ids and keyset order is generation order (new_id itself reads the wall clock
and `secrets`, which no seed can fix).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import infrastructure.db.tables  # noqa: F401  (registers every table)
from domain.cultivation.certifications import derived_expiry
from domain.cultivation.credit_code import check_character
from domain.cultivation.enterprises import CLUSTERS
from domain.planning.handlers.rollups import refresh_rollups
from domain.planning.handlers.year_ends import refresh_year_ends
from domain.shared.clock import SystemClock
from infrastructure.db.engine import make_engine
from infrastructure.db.migrate import upgrade
from infrastructure.db.tables import chains as ch
from infrastructure.db.tables import cultivation as cu
from infrastructure.db.tables import identity as idt
from infrastructure.db.tables import planning as pl
from infrastructure.db.tables.outbox import outbox
from infrastructure.seed import seed_all
from infrastructure.seed.planning import load as load_plan_seed
from infrastructure.settings import Settings
from infrastructure.stored_tiers import rebuild
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.bootstrap import session_factory_for

CHUNK = 5000
BENCH_PLAN_TITLE = "基准测试规划(bench)"
YEARS = range(2021, 2026)  # the plan period: five years of reports, metrics and certifications
PERIODS = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]


@dataclass(frozen=True)
class Scale:
    """How much of everything."""

    departments: int
    roots: int
    sections_per_root: int
    tasks: int
    enterprises: int
    chains: int
    nodes: int
    targets: int
    events: int
    pool_members: int
    urges: int
    extensions: int


SCALES = {
    "realistic": Scale(20, 5, 5, 300, 500, 5, 50, 300, 500, 60, 30, 10),
    "stress": Scale(40, 10, 10, 5000, 50_000, 50, 500, 5000, 100_000, 3000, 1000, 300),
}


class Ids:
    """Ids in new_id's format from a seeded generator and a clock starting 2021-01-01 (one ms an id)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:ids")
        self.ms = int(datetime(2021, 1, 1, tzinfo=UTC).timestamp() * 1000)

    def __call__(self) -> str:
        self.ms += 1
        return f"{self.ms:012x}{self.rng.getrandbits(80):020x}"


def _utc(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _month_start(period: str) -> date:
    return date(int(period[:4]), int(period[5:]), 1)


class Generator:
    """Builds the rows of one scale; every section draws from its own seeded stream."""

    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale, self.seed, self.new_id = scale, seed, Ids(seed)
        self.department_ids: list[str] = []
        self.task_ids: list[str] = []
        self.leaf_ids: list[str] = []
        self.indicator_ids: list[str] = []
        self.enterprise_ids: list[str] = []
        self.chain_ids: list[str] = []
        self.counts: dict[str, int] = {}

    def rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")

    # ── planning ──────────────────────────────────────────────────────────────────────────
    def departments(self) -> list[dict[str, Any]]:
        rows = [
            {"id": self.new_id(), "name": f"基准部门{n:03d}", "code": f"bench-dept-{n:03d}", "version": 1}
            for n in range(1, self.scale.departments + 1)
        ]
        self.department_ids = [r["id"] for r in rows]
        return rows

    def plan_and_indicators(self) -> tuple[dict, list[dict], list[dict]]:
        rng = self.rng("indicators")
        plan = {
            "id": self.new_id(),
            "title": BENCH_PLAN_TITLE,
            "start_year": 2021,
            "end_year": 2025,
            "issuer": "基准测试",
            "issued": "2021-12",
            "version": 1,
        }
        self.plan_id = plan["id"]
        indicators, observations = [], []
        for row in load_plan_seed()["indicators"]:
            target = Decimal(str(row["target_value"]))
            baseline = Decimal(str(row["baseline_value"])) if row["baseline_value"] else None
            indicator = {
                "id": self.new_id(),
                "plan_id": plan["id"],
                "code": row["code"],
                "area": row["area"],
                "name": row["name"],
                "unit": row["unit"],
                "baseline_year": 2020,
                "baseline_value": baseline,
                "target_year": 2025,
                "target_value": target,
                "nature": row["nature"],
                "direction": row["direction"],
                "version": 1,
            }
            indicators.append(indicator)
            start = baseline if baseline is not None else target * Decimal("0.6")
            for step, year in enumerate(YEARS, start=1):
                if rng.random() < 0.1:
                    continue  # a year not reported yet
                value = start + (target - start) * Decimal(step) / 5 * Decimal(str(rng.uniform(0.8, 1.1)))
                observations.append(
                    {
                        "id": self.new_id(),
                        "indicator_id": indicator["id"],
                        "year": year,
                        "value": value.quantize(Decimal("0.01")),
                        "source": "基准测试",
                        "note": None,
                        "version": 1,
                    }
                )
        self.indicator_ids = [i["id"] for i in indicators]
        return plan, indicators, observations

    def tasks(self) -> list[dict[str, Any]]:
        """Key tasks › sections › work items, parents first; statuses as a real plan's after five years."""
        rng, s = self.rng("tasks"), self.scale
        rows: list[dict[str, Any]] = []
        self.leaf_status: dict[str, tuple[str, date, date]] = {}

        def task(parent: str | None, code: str, status: str, lead: str | None, **more: Any) -> dict:
            start = date(2021, rng.randint(1, 12), 1)
            due = date(rng.choice((2023, 2024, 2025, 2025, 2025)), rng.choice((6, 12)), 30)
            return {
                "id": self.new_id(),
                "plan_id": self.plan_id,
                "parent_id": parent,
                "code": code,
                "title": f"基准任务{code}",
                "description": f"基准测试任务{code}的说明。" * rng.randint(1, 4),
                "lead_department_id": lead,
                "co_department_ids": rng.sample(self.department_ids, rng.randint(0, 2)),
                "start_date": start,
                "due_date": due,
                "original_due_date": None,
                "weight": Decimal(rng.choice((1, 1, 1, 2, 3))),
                "status": status,
                "indicator_ids": more.get("indicator_ids", []),
                "urge_count": 0,
                "version": 1,
            }

        roots = [
            task(None, str(r), "in_progress", None, indicator_ids=rng.sample(self.indicator_ids, 3))
            for r in range(1, s.roots + 1)
        ]
        sections = []
        for r, root in enumerate(roots, start=1):
            for n in range(1, s.sections_per_root + 1):
                sections.append(task(root["id"], f"{r}.{n}", "in_progress", rng.choice(self.department_ids)))
        leaves = []
        leaf_count = s.tasks - len(roots) - len(sections)
        numbers = [0] * len(sections)
        statuses = ["in_progress"] * 70 + ["completed"] * 15 + ["suspended"] * 5 + ["not_started"] * 5
        statuses += ["cancelled"] * 5
        for n in range(leaf_count):
            index = n % len(sections)
            numbers[index] += 1
            section = sections[index]
            row = task(section["id"], f"{section['code']}.{numbers[index]}", rng.choice(statuses), None)
            row["lead_department_id"] = rng.choice(self.department_ids)
            leaves.append(row)
        rows = roots + sections + leaves
        self.task_rows = rows
        self.task_ids = [r["id"] for r in rows]
        self.leaf_ids = [r["id"] for r in leaves]
        self.leaves = leaves
        return rows

    def progress_reports(self) -> Iterator[dict[str, Any]]:
        """One report a month on every work item that started, from its start to its end or Dec 2025."""
        rng = self.rng("reports")
        for leaf in self.leaves:
            if leaf["status"] == "not_started":
                continue
            first = PERIODS.index(f"{leaf['start_date']:%Y-%m}")
            last = len(PERIODS) - 1
            if leaf["status"] in ("completed", "cancelled"):
                last = rng.randint(min(first + 6, last), last)
            final = Decimal(100) if leaf["status"] == "completed" else Decimal(rng.randint(20, 95))
            months = last - first + 1
            for step, period in enumerate(PERIODS[first : last + 1], start=1):
                filed = _month_start(period) + timedelta(days=rng.randint(27, 40))
                returned = rng.random() < 0.03
                yield {
                    "id": self.new_id(),
                    "task_id": leaf["id"],
                    "period": period,
                    "percent": (final * step / months).quantize(Decimal("0.1")),
                    "summary": f"{period}完成情况:按计划推进第{step}阶段工作。",
                    "problems": None if rng.random() < 0.7 else "资金到位较慢,需协调。",
                    "next_steps": "继续推进。",
                    "attachment_ids": [],
                    "filed_at": _utc(filed, rng.randint(1, 10)),
                    "filed_by": "bench-department",
                    "returned": returned,
                    "return_comment": "佐证材料不足" if returned else None,
                    "returned_at": _utc(filed + timedelta(days=2)) if returned else None,
                    "returned_by": "bench-planner" if returned else None,
                    "version": 1,
                }

    def moves(self) -> Iterator[dict[str, Any]]:
        """Each task's dated moves to its status (task_transitions): started on its start date, then
        completed, suspended or cancelled on a later day up to 2025 — what an "as of" read walks back."""
        rng = self.rng("moves")
        recorded = _utc(date(2026, 1, 5))
        actions = {"completed": "complete", "suspended": "suspend", "cancelled": "cancel"}
        for task in self.task_rows:
            status, start = task["status"], task["start_date"]
            if status == "not_started":
                continue
            steps = [("start", "not_started", "in_progress", start)]
            if status in actions:
                end = start + timedelta(days=rng.randint(180, (date(2025, 12, 31) - start).days))
                steps.append((actions[status], "in_progress", status, end))
            for seq, (action, before, after, on) in enumerate(steps, start=1):
                yield {
                    "id": self.new_id(),
                    "task_id": task["id"],
                    "seq": seq,
                    "action": action,
                    "from_status": before,
                    "to_status": after,
                    "on": on,
                    "reason": "基准数据" if action == "cancel" else None,
                    "by": "bench-planner",
                    "at": recorded,
                    "migrated": False,
                }

    def supervision(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng("supervision")
        urges = [
            {
                "id": self.new_id(),
                "task_id": rng.choice(self.leaf_ids),
                "note": "请加快进度。",
                "by": "bench-planner",
                "at": _utc(date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))),
            }
            for _ in range(self.scale.urges)
        ]
        extensions = []
        for _ in range(self.scale.extensions):
            status = rng.choice(("pending", "approved", "rejected"))
            asked = date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
            extensions.append(
                {
                    "id": self.new_id(),
                    "task_id": rng.choice(self.leaf_ids),
                    "new_due_date": date(2026, 6, 30),
                    "reason": "受外部因素影响,申请延期。",
                    "requested_by": "bench-department",
                    "requested_at": _utc(asked),
                    "status": status,
                    "decided_by": None if status == "pending" else "bench-planner",
                    "note": None,
                    "decided_at": None if status == "pending" else _utc(asked + timedelta(days=5)),
                    "version": 1,
                }
            )
        return urges, extensions

    # ── cultivation ───────────────────────────────────────────────────────────────────────
    KIND_ODDS = (
        ("tech_sme", 0.3),
        ("hnte", 0.15),
        ("above_scale", 0.1),
        ("specialized", 0.03),
        ("little_giant", 0.01),
        ("eaglet", 0.03),
        ("gazelle", 0.01),
        ("unicorn", 0.001),
        ("platform", 0.002),
    )
    SIZES = ((0.6, 100, 5000), (0.3, 5000, 20000), (0.09, 20000, 100000), (0.01, 100000, 300000))

    def enterprise_batches(self, size: int = 2000) -> Iterator[tuple[list, list, list]]:
        """(enterprises, certifications, annual metrics) a batch of enterprises at a time."""
        rng = self.rng("enterprises")
        batch: tuple[list, list, list] = ([], [], [])
        for i in range(self.scale.enterprises):
            self._enterprise(rng, i, *batch)
            if len(batch[0]) == size:
                yield batch
                batch = ([], [], [])
        if batch[0]:
            yield batch

    def _enterprise(self, rng: random.Random, i: int, enterprises: list, certs: list, metrics: list) -> None:
        eid = self.new_id()
        self.enterprise_ids.append(eid)
        name = f"鞍山基准科技{i:05d}有限公司"
        aliases = [f"基准{i:05d}"] if rng.random() < 0.1 else []
        first17 = f"91210300{i:09d}"
        code = first17 + check_character(first17) if rng.random() < 0.95 else None
        registered = date(rng.randint(2000, 2024), rng.randint(1, 12), rng.randint(1, 28))
        listed = rng.random() < 0.01
        enterprises.append(
            {
                "id": eid,
                "name": name,
                "aliases": aliases,
                "search_text": "\n".join(p for p in (name, *aliases, code or "") if p).lower(),
                "credit_code": code,
                "registered_on": None if rng.random() < 0.02 else registered,
                "cluster": rng.choice((None, None, *CLUSTERS)),
                "status": "active" if rng.random() < 0.95 else rng.choice(("moved_out", "deregistered")),
                "listed": listed,
                "stock_code": f"{300000 + i:06d}" if listed else None,
                "listed_on": date(rng.randint(2010, 2025), 6, 1) if listed else None,
                "officer_id": None,
                "version": 1,
            }
        )
        _, low, high = rng.choices(self.SIZES, weights=[s[0] for s in self.SIZES])[0]
        revenue, staff = rng.uniform(low, high), rng.uniform(10, 600)
        for year in YEARS:
            if year >= registered.year and rng.random() < 0.92:
                metrics.append(self._metrics(rng, eid, year, revenue, staff))
            revenue *= 1 + rng.uniform(-0.1, 0.4)
            staff *= 1 + rng.uniform(-0.05, 0.35)
        for kind, odds in self.KIND_ODDS:
            if rng.random() < odds:
                certs.extend(self._certifications(rng, eid, i, kind))

    def _certifications(self, rng: random.Random, eid: str, i: int, kind: str) -> Iterator[dict]:
        """Five years of a kind: tech_sme registered yearly, three-year kinds renewed, others once."""
        first = rng.choice(YEARS)
        if kind == "tech_sme":
            issues = [date(y, rng.randint(3, 9), rng.randint(1, 28)) for y in range(first, 2026)]
        elif kind in ("hnte", "specialized", "little_giant"):
            issues = [date(y, rng.randint(10, 12), rng.randint(1, 28)) for y in range(first - 3, 2026, 3)]
        else:
            issues = [date(first, rng.randint(1, 12), rng.randint(1, 28))]
        for issued in issues:
            expires = derived_expiry(kind, issued)
            if kind in ("eaglet", "gazelle", "unicorn"):
                expires = date(issued.year + 3, 12, 31)
            revoked = rng.random() < 0.01
            yield {
                "id": self.new_id(),
                "enterprise_id": eid,
                "kind": kind,
                "number": f"GR{issued.year}21{i:06d}" if kind == "hnte" else None,
                "issued_on": issued,
                "expires_on": expires,
                "authority": "辽宁省科学技术厅",
                "revoked": revoked,
                "revoked_on": issued + timedelta(days=200) if revoked else None,
                "revoke_reason": "基准测试撤销" if revoked else None,
                "version": 1,
            }

    def _metrics(self, rng: random.Random, eid: str, year: int, revenue: float, staff: float) -> dict:
        def money(value: float) -> Decimal | None:
            return None if rng.random() < 0.05 else Decimal(f"{max(value, 0):.2f}")

        def count(value: float) -> int | None:
            return None if rng.random() < 0.05 else max(int(value), 0)

        employees = count(staff)
        rd = revenue * rng.uniform(0, 0.09)
        return {
            "id": self.new_id(),
            "enterprise_id": eid,
            "year": year,
            "revenue": money(revenue),
            "main_business_revenue": money(revenue * rng.uniform(0.8, 1)),
            "high_tech_revenue": money(revenue * rng.uniform(0.2, 0.95)),
            "rd_expense": money(rd),
            "rd_expense_domestic": money(rd * rng.uniform(0.4, 1)),
            "total_cost": money(revenue * rng.uniform(0.7, 1.05)),
            "total_assets": money(revenue * rng.uniform(0.5, 2)),
            "tax": money(revenue * rng.uniform(0, 0.08)),
            "exports": money(revenue * rng.uniform(0, 0.3)),
            "valuation": money(rng.uniform(100_000, 2_000_000)) if rng.random() < 0.02 else None,
            "equity_financing": money(rng.uniform(0, 3000) if rng.random() < 0.2 else 0),
            "innovation_score": None if rng.random() < 0.5 else Decimal(rng.randint(400, 1000)) / 10,
            "employees": employees,
            "tech_staff": None if employees is None else int(employees * rng.uniform(0.02, 0.5)),
            "class1_ip": count(rng.choice((0, 0, 0, 1, 2, 3))),
            "class2_ip": count(rng.randint(0, 8)),
            "award": rng.choice((None, None, False, True)),
            "runs_platform": rng.choice((None, None, False, True)),
            "version": 1,
        }

    def pool_memberships(self) -> list[dict[str, Any]]:
        rng = self.rng("pools")
        pools = ("tech_sme_reserve", "hnte_reserve", "high_growth_reserve", "listing_reserve", "going_global")
        pairs: set[tuple[str, str]] = set()
        while len(pairs) < self.scale.pool_members:
            pairs.add((rng.choice(pools), rng.choice(self.enterprise_ids)))
        return [
            {
                "id": self.new_id(),
                "pool": pool,
                "enterprise_id": eid,
                "entered_on": date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28)),
                "entered_by": "bench-officer",
                "reason": "基准测试入库",
                "left_on": None,
                "left_reason": None,
                "version": 1,
            }
            for pool, eid in sorted(pairs)
        ]

    # ── chains ────────────────────────────────────────────────────────────────────────────
    def chains(self) -> dict[str, list[dict[str, Any]]]:
        """Chains › 3 stage nodes › children; enterprises on 80 % of the steps; targets along the pipeline."""
        rng, s = self.rng("chains"), self.scale
        out: dict[str, list] = {"chains": [], "nodes": [], "links": [], "targets": [], "entries": []}
        per_chain, targets_per_chain = s.nodes // s.chains, s.targets // s.chains
        pipeline = ("lead", "negotiating", "signed", "under_construction", "in_production")
        for n in range(1, s.chains + 1):
            chain = {
                "id": self.new_id(),
                "code": f"bench-{n:03d}",
                "name": f"基准产业链{n:03d}",
                "group": rng.choice(("数字经济", "新能源", "智能装备")),
                "description": "基准测试产业链。",
                "leader_enterprise_id": rng.choice(self.enterprise_ids) if rng.random() < 0.5 else None,
                "version": 1,
            }
            out["chains"].append(chain)
            stages = []
            for stage in ("upstream", "midstream", "downstream")[: max(1, min(3, per_chain))]:
                stages.append(self._node(chain["id"], f"{chain['name']}{stage}", stage, None))
            children = [
                self._node(chain["id"], f"{chain['name']}环节{k:03d}", parent["stage"], parent["id"])
                for k, parent in zip(range(per_chain - len(stages)), _cycle(stages), strict=False)
            ]
            out["nodes"].extend(stages + children)
            for node in stages + children:
                if node["parent_id"] is not None and rng.random() < 0.2:
                    continue  # a gap (缺失环节)
                count = rng.randint(1, 5) if node["parent_id"] is None else rng.randint(5, 60)
                for k, eid in enumerate(
                    rng.sample(self.enterprise_ids, min(count, len(self.enterprise_ids)))
                ):
                    out["links"].append(
                        {
                            "id": self.new_id(),
                            "node_id": node["id"],
                            "enterprise_id": eid,
                            "role": "leader" if k < 2 else "supporting",
                        }
                    )
            nodes = stages + children
            for k in range(targets_per_chain):
                dropped = rng.random() < 0.1
                reached = rng.randint(0, len(pipeline) - 1)
                stage = "dropped" if dropped else pipeline[reached]
                target = {
                    "id": self.new_id(),
                    "chain_id": chain["id"],
                    "node_id": rng.choice(nodes)["id"] if rng.random() < 0.8 else None,
                    "company_name": f"招商目标{n:03d}-{k:04d}",
                    "planned_investment": Decimal(rng.randint(500, 500_000)) / 10,
                    "contact": "张先生 139****0000",
                    "note": None,
                    "stage": stage,
                    "enterprise_id": rng.choice(self.enterprise_ids) if stage == "in_production" else None,
                    "version": 1,
                }
                out["targets"].append(target)
                day = date(rng.choice((2021, 2022, 2023)), rng.randint(1, 12), rng.randint(1, 28))
                path = [*pipeline[: reached + 1], *(("dropped",) if dropped else ())]
                for position, entered in enumerate(path):
                    out["entries"].append(
                        {
                            "id": self.new_id(),
                            "target_id": target["id"],
                            "position": position,
                            "stage": entered,
                            "date": day,
                            "note": None,
                        }
                    )
                    day += timedelta(days=rng.randint(20, 200))
        self.chain_ids = [c["id"] for c in out["chains"]]
        return out

    def _node(self, chain_id: str, name: str, stage: str, parent: str | None) -> dict[str, Any]:
        return {
            "id": self.new_id(),
            "chain_id": chain_id,
            "name": name,
            "stage": stage,
            "parent_id": parent,
            "version": 1,
        }

    # ── integration ───────────────────────────────────────────────────────────────────────
    def events(self) -> Iterator[dict[str, Any]]:
        """Relayed events of five years, oldest first, shaped as the domain writes them."""
        rng = self.rng("events")
        start = datetime(2021, 1, 1, tzinfo=UTC)
        step = (datetime(2025, 12, 31, tzinfo=UTC) - start) / max(self.scale.events, 1)
        kinds = ["task.progress_reported"] * 6 + ["task.status_changed"] * 2 + ["enterprise.tier_changed"]
        kinds += ["task.urged", "indicator.observed", "enterprise.registered"]
        for n in range(self.scale.events):
            at = start + step * n
            kind = rng.choice(kinds)
            if kind.startswith("task."):
                subject, subject_id = "task", rng.choice(self.leaf_ids)
                data: dict[str, Any] = {"period": f"{at:%Y-%m}", "percent": str(rng.randint(0, 100))}
                if kind == "task.status_changed":
                    data = {"from": "not_started", "to": "in_progress", "on": at.date().isoformat()}
            elif kind.startswith("enterprise."):
                subject, subject_id = "enterprise", rng.choice(self.enterprise_ids)
                data = {"from": "none", "to": "tech_sme", "on": at.date().isoformat()}
            else:
                subject, subject_id = "indicator", rng.choice(self.indicator_ids)
                data = {"year": at.year, "value": str(rng.randint(1, 1000))}
            yield {
                "event_id": self.new_id(),
                "txid": 0,
                "type": kind,
                "subject_type": subject,
                "subject_id": subject_id,
                "data": data,
                "occurred_at": at,
                "relayed_at": at + timedelta(seconds=2),
            }


def _cycle(items: list) -> Iterator:
    while True:
        yield from items


def _chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def _insert(engine: AsyncEngine, table: Table, rows: Iterable[dict], counts: dict[str, int]) -> None:
    """executemany in chunks of CHUNK rows, one transaction a table (a batch for the enterprises)."""
    async with engine.begin() as connection:
        for chunk in _chunks(rows):
            await connection.execute(insert(table), chunk)
            counts[table.name] = counts.get(table.name, 0) + len(chunk)


async def populate(url: str, scale_name: str, seed: int, *, log=print) -> dict[str, int]:
    """Migrate, seed the plan, and add the scale's data; return the rows written by table."""
    started = time.perf_counter()
    await asyncio.to_thread(upgrade, url)
    settings = Settings(environment="development", database_url=url)
    async with session_factory_for(settings) as factory:
        await seed_all(factory)
    log(f"  migrated and seeded in {time.perf_counter() - started:.1f} s")
    gen, counts = Generator(SCALES[scale_name], seed), {}
    engine = make_engine(settings)
    try:
        await _insert(engine, idt.departments, gen.departments(), counts)
        plan, indicators, observations = gen.plan_and_indicators()
        await _insert(engine, pl.plans, [plan], counts)
        await _insert(engine, pl.indicators, indicators, counts)
        await _insert(engine, pl.observations, observations, counts)
        await _insert(engine, pl.tasks, gen.tasks(), counts)
        await _insert(engine, pl.progress_reports, gen.progress_reports(), counts)
        urges, extensions = gen.supervision()
        await _insert(engine, pl.urges, urges, counts)
        await _insert(engine, pl.extension_requests, extensions, counts)
        log(f"  planning written at {time.perf_counter() - started:.1f} s")
        for enterprises, certs, metrics in gen.enterprise_batches():
            async with engine.begin() as connection:
                for table, rows in ((cu.enterprises, enterprises), (cu.certifications, certs)):
                    await connection.execute(insert(table), rows)
                    counts[table.name] = counts.get(table.name, 0) + len(rows)
                for chunk in _chunks(metrics):
                    await connection.execute(insert(cu.annual_metrics), chunk)
                    counts["annual_metrics"] = counts.get("annual_metrics", 0) + len(chunk)
        await _insert(engine, cu.pool_memberships, gen.pool_memberships(), counts)
        # Written past the unit of work: the stored intervals and today's tiers are rebuilt from them, as
        # `gaoxin verify` would find them missing otherwise.
        async with session_factory_for(settings) as factory:
            rebuilt = await rebuild(factory, SystemClock().today())
        log(f"  cultivation written, {rebuilt} tiers stored, at {time.perf_counter() - started:.1f} s")
        chains = gen.chains()
        for table, key in (
            (ch.chains, "chains"),
            (ch.nodes, "nodes"),
            (ch.node_links, "links"),
            (ch.targets, "targets"),
            (ch.target_stage_entries, "entries"),
        ):
            await _insert(engine, table, chains[key], counts)
        await _insert(engine, outbox, gen.events(), counts)
        # Last, so that the ids drawn before (and the figures of docs/BENCHMARKS.md) stay what they were.
        await _insert(engine, pl.task_transitions, gen.moves(), counts)
        log(f"  chains, events and task moves written at {time.perf_counter() - started:.1f} s")
        # The tasks too were written past the unit of work: today's roll-ups and the closed years' ends are
        # stored as the daily sweep would store them, so that the reads measure the stored paths.
        async with (
            session_factory_for(settings) as factory,
            SqlAlchemyUnitOfWork(factory, actor="bench") as uow,
        ):
            today = SystemClock().today()
            rolled = await refresh_rollups(today, uow=uow)
            year_ends = await refresh_year_ends(today, uow=uow)
            await uow.commit()
        log(
            f"  {rolled} task roll-ups and {year_ends} year-end rows stored"
            f" at {time.perf_counter() - started:.1f} s"
        )
        if engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load: statistics and the visibility map.
            async with engine.connect() as connection:
                connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM ANALYZE"))
        else:
            async with engine.connect() as connection:
                await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await engine.dispose()
    log(f"  done in {time.perf_counter() - started:.1f} s")
    return counts


async def create_database(server_url: str, name: str) -> str:
    """CREATE DATABASE `name` on the server of `server_url`; return its URL."""
    server = make_url(server_url)
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, name: str) -> None:
    admin = create_async_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="SQLAlchemy async URL of an existing (empty) database")
    parser.add_argument("--scale", choices=sorted(SCALES), default="stress")
    parser.add_argument("--seed", type=int, default=20211231)
    args = parser.parse_args()
    print(f"generating {args.scale} data into {make_url(args.url).render_as_string(hide_password=True)}")
    counts = asyncio.run(populate(args.url, args.scale, args.seed))
    print("rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
