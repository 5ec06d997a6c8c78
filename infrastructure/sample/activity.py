"""The sample's activity: progress reports with evidence, the registry's certifications and figures, a chain
chief on two chains and targets in the investment pipeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from domain.chains.handlers import chiefs, targets
from domain.cultivation.handlers import certifications, metrics, pools
from domain.identity.policy import Principal
from domain.planning.handlers import reports as filing
from infrastructure.seed import planning as seeded_plan

ACTOR = "sample"
EVIDENCE = "示例佐证材料：2025年第三季度科技型中小企业评价入库工作台账（节选）。\n".encode()
# (period, percent, summary); the second report of the first task carries the evidence file.
REPORTS = [("2025-03", 30, "【示例】完成政策宣讲与企业摸底"), ("2025-09", 70, "【示例】完成评价入库材料初审")]
# enterprise name -> certifications (kind, number, issued_on, expires_on) and yearly figures (万元)
REGISTRY = {
    "荣信汇科": (
        [
            ("hnte", "GR202321000318", date(2023, 12, 12), None),
            ("gazelle", "示例-瞪羚-2024-07", date(2024, 6, 30), date(2027, 6, 29)),
        ],
        {2023: (68000, 4100, 820, 310), 2024: (76500, 4700, 860, 330), 2025: (83200, 5300, 900, 355)},
    ),
    "聚龙股份": (
        [("hnte", "GR202421000096", date(2024, 11, 28), None)],
        {2023: (52000, 2900, 1300, 260), 2024: (54800, 3100, 1280, 270), 2025: (57100, 3350, 1310, 282)},
    ),
    "星空钠电": (
        [
            ("tech_sme", "2026210300A00412", date(2026, 4, 15), None),
            ("eaglet", "示例-雏鹰-2025-12", date(2025, 5, 20), date(2028, 5, 19)),
        ],
        {2023: (1800, 240, 86, 31), 2024: (4200, 380, 120, 44), 2025: (9600, 610, 168, 61)},
    ),
    "九夷锂能": (
        [("tech_sme", "2026210300A00587", date(2026, 5, 10), None)],
        {2024: (3100, 190, 95, 22), 2025: (4700, 260, 110, 27)},
    ),
}
CHIEF_CHAINS = ("smart_equipment", "energy_storage")
# company, chain, and the stages it went through, each on its day (the first one is `lead`)
TARGETS = [
    (
        "【示例】某激光装备研发制造项目",
        "smart_equipment",
        [("lead", date(2024, 3, 12)), ("negotiating", date(2024, 6, 20))],
    ),
    (
        "【示例】某智能焊接机器人企业",
        "smart_equipment",
        [("lead", date(2023, 9, 1)), ("negotiating", date(2023, 11, 15)), ("signed", date(2024, 4, 28))],
    ),
    (
        "【示例】某钠离子电池正极材料项目",
        "energy_storage",
        [
            ("lead", date(2022, 5, 10)),
            ("signed", date(2023, 2, 16)),
            ("under_construction", date(2023, 8, 1)),
        ],
    ),
    ("【示例】某储能系统集成企业", "energy_storage", [("lead", date(2025, 7, 1))]),
]


def _leaves(codes: list[str], chapter: str) -> list[str]:
    """The codes of a chapter's tasks that have no task below them, in code order."""
    inside = [c for c in codes if c.startswith(chapter + ".")]
    return sorted((c for c in inside if not any(o.startswith(c + ".") for o in inside)), key=_code_key)


def _code_key(code: str) -> list[int]:
    return [int(part) if part.isdigit() else 0 for part in code.split(".")]


async def progress_reports(uow, loaded, *, department_id: str, today: date, now: datetime) -> None:
    """The sample department reports on three of its leaf tasks; one report carries a text evidence file."""
    clerk = Principal(
        kind="user",
        id=loaded.user_ids["sample.department"],
        name="sample.department",
        roles=frozenset({"department"}),
        department_id=department_id,
    )
    evidence = await filing.upload_attachment(
        "示例佐证材料.txt",
        "text/plain",
        EVIDENCE,
        principal=clerk,
        now=now,
        max_bytes=len(EVIDENCE),
        uow=uow,
    )
    plan = await uow.plans.by_title(seeded_plan.load()["plan"]["title"])
    codes = _leaves(list(await uow.tasks.codes_of(plan.id)), "5")[:3]
    filed = 0
    for n, code in enumerate(codes):
        for m, (period, percent, summary) in enumerate(REPORTS):
            body = {"period": period, "percent": percent, "summary": summary}
            if n == 0 and m == 1:
                body["attachment_ids"] = [evidence.id]
            task = await uow.tasks.by_code(plan.id, code)
            await filing.report_progress(task, body, principal=clerk, now=now, today=today, uow=uow)
            filed += 1
    loaded.counts["progress reports"] = filed


async def registry(uow, loaded, *, today: date) -> None:
    """Certifications and three years of figures for four seeded enterprises; one in a cultivation pool."""
    written = 0
    for name, (held, years) in REGISTRY.items():
        enterprise_id = (await uow.enterprises.by_name(name)).id
        for kind, number, issued_on, expires_on in held:
            data = {"kind": kind, "number": number, "issued_on": issued_on, "authority": "【示例】认定机构"}
            if expires_on:
                data["expires_on"] = expires_on
            await certifications.add_certification(enterprise_id, data, uow=uow, today=today)
            written += 1
        for year, (revenue, rd_expense, employees, tech_staff) in years.items():
            values = {
                "revenue": Decimal(revenue),
                "main_business_revenue": Decimal(revenue) * Decimal("0.95"),
                "high_tech_revenue": Decimal(revenue) * Decimal("0.7"),
                "rd_expense": Decimal(rd_expense),
                "rd_expense_domestic": Decimal(rd_expense) * Decimal("0.9"),
                "employees": employees,
                "tech_staff": tech_staff,
                "class1_ip": 3,
                "class2_ip": 12,
            }
            await metrics.put_metrics(enterprise_id, year, values, None, uow=uow)
            written += 1
    newcomer = await uow.enterprises.by_name("星空钠电")
    await pools.enter_pool(
        "high_growth_reserve", newcomer.id, "【示例】营收三年增长超五倍", uow=uow, by=ACTOR, today=today
    )
    loaded.counts["certifications and yearly figures"] = written


async def chains(uow, loaded, *, principal: Principal, today: date) -> None:
    """A general chief, a chief on two chains, and targets at several stages of the pipeline."""
    since = date(today.year, 1, 1)
    await chiefs.assign_general_chief(
        loaded.user_ids["sample.general"], since, uow=uow, assigned_by=ACTOR, today=today
    )
    chain_ids = {}
    for code in CHIEF_CHAINS:
        chain_ids[code] = (await uow.chains.by_code(code)).id
        await chiefs.assign_chain_chief(
            chain_ids[code], loaded.user_ids["sample.chief"], since, uow=uow, assigned_by=ACTOR, today=today
        )
    for company, chain, ((_, first_day), *later) in TARGETS:
        body = {"company_name": company, "note": "示例招商目标", "stage_date": first_day}
        target = await targets.create_target(
            chain_ids[chain], body, principal=principal, uow=uow, today=today
        )
        for stage, day in later:
            await targets.move_target(target.id, stage, day, principal=principal, uow=uow, today=today)
    loaded.counts["chain chiefs"] = 1 + len(CHIEF_CHAINS)
    loaded.counts["investment targets"] = len(TARGETS)
