"""The ledgers (台账) of API.md: their columns in order, Chinese header and English field name each."""

from __future__ import annotations

from dataclasses import dataclass

from domain.chains.targets import TargetStage
from domain.cultivation.enterprises import EnterpriseStatus
from domain.cultivation.tiers import Tier
from domain.integration.ledgers.columns import Column, ValueType
from domain.planning.assessment import AssessmentStatus
from domain.planning.indicators import Nature
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import STATUS_ZH, TaskStatus
from domain.shared.errors import NotFound

T, INT, D, DATE, B, L, C, M = (
    ValueType.TEXT,
    ValueType.INT,
    ValueType.DECIMAL,
    ValueType.DATE,
    ValueType.BOOL,
    ValueType.LIST,
    ValueType.CHOICE,
    ValueType.MONTH,
)
WAN = "万元"

ENTERPRISE_STATUS = (
    (EnterpriseStatus.ACTIVE.value, "正常"),
    (EnterpriseStatus.MOVED_OUT.value, "已迁出"),
    (EnterpriseStatus.DEREGISTERED.value, "已注销"),
)
TIERS = tuple(
    zip(
        [t.value for t in Tier],
        ["无", "科技型中小企业", "高新技术企业", "雏鹰企业", "瞪羚企业", "独角兽企业", "平台化大企业"],
        strict=True,
    )
)
TASK_STATUS = tuple((s.value, STATUS_ZH[s.value]) for s in TaskStatus)
LIGHTS = tuple(zip([w.value for w in WarningLight], ["红灯", "黄灯", "绿灯", "已完成"], strict=True))
ESCALATIONS = tuple(zip([e.value for e in Escalation], ["无", "提醒", "已催办", "通报", "约谈"], strict=True))
ASSESSMENT = tuple(
    zip([s.value for s in AssessmentStatus], ["暂无数据", "符合进度", "存在风险", "滞后"], strict=True)
)
NATURES = tuple(zip([n.value for n in Nature], ["预期性", "约束性"], strict=True))
STAGES = tuple(
    zip(
        [s.value for s in TargetStage],
        ["线索", "对接洽谈", "签约落地", "开工建设", "投产", "放弃"],
        strict=True,
    )
)


@dataclass(frozen=True, slots=True)
class LedgerSpec:
    """One kind of ledger: its sheet title, columns, and how a row finds its record."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    one_of: tuple[str, ...] = ()  # at least one of these headers must be there
    needs_plan: bool = False  # rows belong to the plan named by `plan_id`

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


ENTERPRISES = LedgerSpec(
    "enterprises",
    "企业名录",
    (
        Column("企业名称", "name", required=True),
        Column("统一社会信用代码", "credit_code", aliases=("信用代码",)),
        Column("注册日期", "registered_on", DATE, aliases=("成立日期",)),
        Column("所在组团", "cluster", aliases=("组团",)),
        Column("是否上市", "listed", B),
        Column("股票代码", "stock_code"),
        Column("上市日期", "listed_on", DATE),
        Column("企业状态", "status", C, choices=ENTERPRISE_STATUS),
        Column("企业别名", "aliases", L, aliases=("别名",)),
        Column("当前梯度", "tier", C, writable=False, choices=TIERS),
    ),
)

TASKS = LedgerSpec(
    "tasks",
    "督办台账",
    (
        Column("任务编号", "code", aliases=("编号",)),
        Column("任务名称", "title", required=True),
        Column("上级任务编号", "parent_code", targets=("parent_id",)),
        Column("上级任务ID", "parent_id"),  # filled only where the parent has no code
        Column("任务描述", "description"),
        Column("牵头部门", "lead_department", targets=("lead_department_id",)),
        Column("配合部门", "co_departments", L, targets=("co_department_ids",)),
        Column("开始日期", "start_date", DATE),
        Column("完成时限", "due_date", DATE),
        # The day the task really started, and was completed or cancelled: moves dated when they took effect
        # (DOMAIN.md, History), recorded after every row, in date order. Blank records nothing.
        Column("实际开始日期", "started_on", DATE),
        Column("实际完成日期", "completed_on", DATE, aliases=("办结日期",)),
        Column("取消日期", "cancelled_on", DATE),
        Column("取消原因", "cancel_reason"),
        Column("权重", "weight", D),
        Column("关联指标", "indicator_codes", L, targets=("indicator_ids",)),
        Column("任务状态", "status", C, writable=False, choices=TASK_STATUS),
        Column("进度", "progress", D, unit="%", writable=False),
        Column("预警", "warning", C, writable=False, choices=LIGHTS),
        Column("是否逾期", "overdue", B, writable=False),
        Column("督办级别", "escalation", C, writable=False, choices=ESCALATIONS),
        Column("催办次数", "urge_count", INT, writable=False),
        Column("原完成时限", "original_due_date", DATE, writable=False),
        Column("最新报告期", "report_period", writable=False),
        Column("最新报告进度", "report_percent", D, unit="%", writable=False),
        Column("最新进展", "report_summary", writable=False),
        Column("存在问题", "report_problems", writable=False),
        Column("下步计划", "report_next_steps", writable=False),
        Column("填报人", "report_filed_by", writable=False),
        Column("延期申请", "extensions", writable=False),
        Column("任务ID", "id", key=True),
    ),
    needs_plan=True,
)

# 督办台账 of progress reports: a row a report, of the plan's tasks by code (任务ID where a task has none).
PROGRESS_REPORTS = LedgerSpec(
    "progress_reports",
    "进展报告",
    (
        Column("任务编号", "task_code", aliases=("编号",)),
        Column("任务ID", "task_id"),  # filled only where the task has no code
        Column("任务名称", "task_title", writable=False),
        Column("报告期", "period", M, required=True, aliases=("报告月份",)),
        Column("进度", "percent", D, unit="%", required=True),
        Column("进展情况", "summary", required=True),
        Column("存在问题", "problems"),
        Column("下步计划", "next_steps"),
        Column("填报日期", "filed_on", DATE),
        Column("填报人", "filed_by", writable=False),
        Column("是否退回", "returned", B, writable=False),
        Column("退回意见", "return_comment", writable=False),
        Column("报告ID", "id", key=True),
    ),
    one_of=("task_code", "task_id"),
    needs_plan=True,
)

INDICATOR_OBSERVATIONS = LedgerSpec(
    "indicator_observations",
    "指标实际值",
    (
        Column("指标序号", "indicator_code", INT, required=True, aliases=("序号",)),
        Column("指标名称", "indicator_name", writable=False),
        Column("单位", "unit", writable=False),
        Column("年份", "year", INT, required=True, aliases=("年度",)),
        Column("实际值", "value", D, required=True),
        Column("数据来源", "source", aliases=("来源",)),
        Column("备注", "note"),
    ),
    needs_plan=True,
)

_FIGURES = (
    ("营业收入", "revenue", D, WAN),
    ("主营业务收入", "main_business_revenue", D, WAN),
    ("高新技术产品(服务)收入", "high_tech_revenue", D, WAN),
    ("研发费用", "rd_expense", D, WAN),
    ("境内研发费用", "rd_expense_domestic", D, WAN),
    ("成本费用总额", "total_cost", D, WAN),
    ("职工总数", "employees", INT, "人"),
    ("科技人员数", "tech_staff", INT, "人"),
    ("资产总额", "total_assets", D, WAN),
    ("纳税总额", "tax", D, WAN),
    ("出口额", "exports", D, WAN),
    ("Ⅰ类知识产权", "class1_ip", INT, "件"),
    ("Ⅱ类知识产权", "class2_ip", INT, "件"),
    ("估值", "valuation", D, WAN),
    ("股权融资额", "equity_financing", D, WAN),
    ("创新能力评分", "innovation_score", D, None),
    ("获奖", "award", B, None),
    ("运营平台", "runs_platform", B, None),
)
_ROMAN_ALIASES = {"class1_ip": ("I类知识产权", "一类知识产权"), "class2_ip": ("II类知识产权", "二类知识产权")}

METRICS = LedgerSpec(
    "metrics",
    "年度经营数据",
    (
        Column("企业名称", "name", key=True),
        Column("统一社会信用代码", "credit_code", key=True, aliases=("信用代码",)),
        Column("年度", "year", INT, required=True, aliases=("年份",)),
        *(
            Column(zh, name, kind, unit=unit, sensitive=True, aliases=_ROMAN_ALIASES.get(name, ()))
            for zh, name, kind, unit in _FIGURES
        ),
    ),
    one_of=("name", "credit_code"),
)

# Export only: the year's evaluation, one sheet of indicators and one of the key tasks.
EVALUATION_INDICATORS = (
    Column("序号", "code", INT),
    Column("领域", "area"),
    Column("指标名称", "name"),
    Column("单位", "unit"),
    Column("基期值", "baseline_value", D),
    Column("目标值", "target_value", D),
    Column("预期值", "expected_value", D),
    Column("实际值", "actual_value", D),
    Column("完成率", "completion_ratio", D, unit="%"),
    Column("状态", "status", C, choices=ASSESSMENT),
    Column("预计目标年值", "projected_value", D),
    Column("年均所需增速", "required_annual_growth", D, unit="%"),
    Column("名录统计值", "registry_value", INT),
)
EVALUATION_TASKS = (
    Column("任务编号", "code"),
    Column("任务名称", "title"),
    Column("进度", "progress", D, unit="%"),
    Column("预警", "warning", C, choices=LIGHTS),
    Column("任务状态", "status", C, choices=TASK_STATUS),
    Column("督办级别", "escalation", C, choices=ESCALATIONS),
)

LEDGERS = {
    spec.kind: spec for spec in (ENTERPRISES, TASKS, PROGRESS_REPORTS, INDICATOR_OBSERVATIONS, METRICS)
}
EXPORTS = (*LEDGERS, "evaluation")


def ledger(kind: str) -> LedgerSpec:
    """The ledger of a kind; an unknown kind is a 404."""
    spec = LEDGERS.get(kind)
    if spec is None:
        raise NotFound(
            f"no ledger {kind!r}; kinds: {', '.join(LEDGERS)}",
            f"无此台账类型“{kind}”,可用:{'、'.join(LEDGERS)}",
        )
    return spec
