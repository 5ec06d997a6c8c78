"""Five years loaded at once from the ledgers (issue 16's "Done when"): the tasks' actual dates and the
progress reports of 2021–2025 (some tasks completed in 2026), then the 2023 evaluation shows exactly the
statuses of 2023-12-31. Today here is 2026-06-30."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.api.ledgers.helpers import export, first_sheet, upload, workbook
from tests.api.planning.test_year_ends import run_sweep, stored_days
from tests.support.days import app_on

TODAY = date(2026, 6, 30)


@pytest.fixture
async def app(settings):
    async with app_on(settings, TODAY) as application:
        yield application


TASK_HEADER = [
    "任务编号",
    "任务名称",
    "上级任务编号",
    "开始日期",
    "完成时限",
    "实际开始日期",
    "实际完成日期",
    "取消日期",
    "取消原因",
]
# code, title, parent, planned start, due, started, completed, cancelled, why — parents before children
TASKS = [
    ["4", "数字经济", None, "2021-01-01", "2025-12-31", "2021-03-01", "2026-02-10", None, None],
    ["4.1", "半导体", "4", "2021-03-01", "2024-12-31", "2021-03-01", "2023-06-30", None, None],
    ["4.2", "工业互联网", "4", "2022-01-01", "2025-06-30", "2022-01-15", "2026-01-20", None, None],
    ["5", "创新主体", None, "2021-01-01", "2025-12-31", "2021-06-01", None, None, None],
    ["5.1", "高企倍增", "5", "2021-06-01", "2025-12-31", "2021-06-01", "2024-12-31", None, None],
    ["5.2", "孵化器", "5", "2021-01-01", "2025-12-31", "2023-12-31", None, None, None],  # started on D
    ["5.3", "人才", "5", "2021-01-01", "2025-12-31", "2024-01-01", None, None, None],  # the day after D
    [
        "6",
        "开放合作",
        None,
        "2021-01-01",
        "2025-12-31",
        None,
        None,
        "2023-12-31",
        "规划调整",
    ],  # cancelled on D
    ["7", "生态宜居", None, "2021-01-01", "2025-12-31", None, None, "2024-01-02", "并入其他任务"],
    [
        "8",
        "招商引资",
        None,
        "2021-01-01",
        "2025-12-31",
        None,
        None,
        None,
        None,
    ],  # started by its first report
    ["9", "双创平台", None, "2021-01-01", "2025-12-31", "2022-01-01", "2025-06-30", None, None],
    ["9.1", "孵化载体", "9", "2021-01-01", "2025-12-31", "2022-02-01", "2025-06-30", None, None],  # same day
]
REPORT_HEADER = ["任务编号", "报告期", "进度", "进展情况", "存在问题", "填报日期"]
REPORTS = [
    ["4.1", "2022-06", 40, "流片完成", None, "2022-07-05"],
    ["4.1", "2023-05", 90, "量产爬坡", None, "2023-06-05"],
    ["4.2", "2023-11", 60, "平台上线", "资金", "2023-12-05"],
    ["4.2", "2024-06", 80, "接入企业", None, "2024-07-03"],  # after D: not seen on 2023-12-31
    ["5.1", "2023-12", 70, "认定在审", None, "2024-01-05"],  # of December, filed in January: counts on D
    ["5.3", "2024-02", 10, "引才计划", None, "2024-03-01"],
    ["8", "2025-03", 20, "签约项目", None, "2025-04-01"],  # starts 8 on 2025-03-01
]
# As the sheets say it stood on 2023-12-31, task by task.
ON_31_DECEMBER_2023 = {
    "4": "in_progress",
    "4.1": "completed",
    "4.2": "in_progress",
    "5": "in_progress",
    "5.1": "in_progress",
    "5.2": "in_progress",
    "5.3": "not_started",
    "6": "cancelled",
    "7": "not_started",
    "8": "not_started",
    "9": "in_progress",
    "9.1": "in_progress",
}


async def load_five_years(client, planner, plan) -> dict[str, dict]:
    tasks = await upload(client, "tasks", workbook([TASK_HEADER, *TASKS]), planner, plan_id=plan["id"])
    assert tasks.status_code == 200, tasks.text
    reports = await upload(
        client, "progress_reports", workbook([REPORT_HEADER, *REPORTS]), planner, plan_id=plan["id"]
    )
    assert reports.status_code == 200, reports.text
    assert (reports.json()["created"], reports.json()["errors"]) == (len(REPORTS), [])
    listed = (
        await client.get("/api/v1/tasks", params={"plan_id": plan["id"], "limit": 200}, headers=planner)
    ).json()
    return {t["code"]: t for t in listed["items"]}


def flatten(nodes: list[dict]) -> dict[str, dict]:
    found = {}
    for node in nodes:
        found[node["code"]] = node
        found.update(flatten(node["children"]))
    return found


async def test_the_2023_evaluation_of_a_history_loaded_from_ledgers_shows_31_december_2023(
    client, planner, viewer, plan
):
    by_code = await load_five_years(client, planner, plan)
    assert {code: t["status"] for code, t in by_code.items()} == {  # today: every move has happened
        **dict.fromkeys(("4", "4.1", "4.2", "5.1", "9", "9.1"), "completed"),
        **dict.fromkeys(("5", "5.2", "5.3", "8"), "in_progress"),
        "6": "cancelled",
        "7": "cancelled",
    }
    evaluation = (await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2023", headers=viewer)).json()
    assert evaluation["as_of"] == "2023-12-31"
    expected = {
        status: list(ON_31_DECEMBER_2023.values()).count(status)
        for status in ("not_started", "in_progress", "suspended", "completed", "cancelled")
    }
    assert evaluation["counts"]["status"] == expected
    assert {t["code"]: t["status"] for t in evaluation["tasks"]} == {
        code: status for code, status in ON_31_DECEMBER_2023.items() if "." not in code
    }
    tree = (
        await client.get(f"/api/v1/plans/{plan['id']}/tree", params={"date": "2023-12-31"}, headers=viewer)
    ).json()
    nodes = flatten(tree["tasks"])
    assert {code: n["status"] for code, n in nodes.items()} == ON_31_DECEMBER_2023
    for code, status in ON_31_DECEMBER_2023.items():
        one = (
            await client.get(
                f"/api/v1/tasks/{by_code[code]['id']}", params={"date": "2023-12-31"}, headers=viewer
            )
        ).json()
        assert one["status"] == status, code

    # Checked by hand: 4.2 工业互联网, planned 2022-01-01…2025-06-30, started 2022-01-15, done 2026-01-20.
    # On 2023-12-31 it was in progress; its latest report counting then is 2023-11's 60 % (2024-06's comes
    # later); 729 of 1276 days had passed (57.1 % expected), 60 is not 20 points behind: green, not overdue.
    hand = nodes["4.2"]
    assert (hand["status"], hand["progress"], hand["warning"], hand["overdue"], hand["escalation"]) == (
        "in_progress",
        60,
        "green",
        False,
        "none",
    )
    # Its parent 4: (100 for the completed 4.1 + 60) / 2 = 80, green (59.9 % of its span had passed).
    four = next(t for t in evaluation["tasks"] if t["code"] == "4")
    assert (four["progress"], four["warning"]) == (80, "green")
    assert nodes["5.1"]["progress"] == 70 and nodes["8"]["progress"] == 0  # 8 reported only in 2025
    now = flatten((await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=viewer)).json()["tasks"])
    assert (now["4.2"]["status"], now["4.2"]["warning"], now["8"]["progress"]) == ("completed", "done", 20)


async def test_the_ledgers_record_each_date_as_a_dated_move_and_re_import_unchanged(
    client, planner, viewer, plan
):
    by_code = await load_five_years(client, planner, plan)
    history = (await client.get(f"/api/v1/tasks/{by_code['8']['id']}/history", headers=viewer)).json()[
        "items"
    ]
    assert [(e["kind"], e["date"]) for e in history] == [
        ("transition", "2025-03-01"),
        ("report", "2025-04-01"),
    ]
    six = (await client.get(f"/api/v1/tasks/{by_code['6']['id']}/history", headers=viewer)).json()["items"]
    assert [(e["action"], e["date"], e["reason"]) for e in six] == [("cancel", "2023-12-31", "规划调整")]
    exported = first_sheet(await export(client, "tasks", viewer, plan_id=plan["id"]))
    row = next(r for r in exported if r["任务编号"] == "4.2")
    assert (row["实际开始日期"], row["实际完成日期"], row["取消日期"]) == (
        datetime(2022, 1, 15),
        datetime(2026, 1, 20),
        None,
    )
    for kind in ("tasks", "progress_reports"):
        content = await export(client, kind, viewer, plan_id=plan["id"])
        again = await upload(client, kind, content, planner, plan_id=plan["id"])
        assert again.status_code == 200 and again.json()["written"] == 0, (kind, again.text)
    reports = first_sheet(await export(client, "progress_reports", viewer, plan_id=plan["id"]))
    assert [(r["任务编号"], r["报告期"], r["填报日期"]) for r in reports][:2] == [
        ("4.1", "2022-06", datetime(2022, 7, 5)),
        ("4.1", "2023-05", datetime(2023, 6, 5)),
    ]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (
            ["4.1", "半导体", "4", None, None, "2021-03-02", None, None, None],
            "实际开始日期",
        ),  # rewrites a start
        (
            ["4.1", "半导体", "4", None, None, None, "2023-07-01", None, None],
            "实际完成日期",
        ),  # another completion
        (["5", "创新主体", None, None, None, None, "2023-01-01", "2023-01-01", "x"], "取消日期"),  # both
        (["5", "创新主体", None, None, None, None, None, "2021-05-31", "x"], "取消日期"),  # before its start
        (["7x", "新任务", None, None, None, None, None, "2026-07-01", "x"], "取消日期"),  # in the future
        (["7y", "新任务", None, None, None, None, None, "2024-01-01", None], "取消原因"),  # no reason
    ],
)
async def test_a_date_the_history_contradicts_refuses_the_sheet(client, planner, viewer, plan, row, column):
    await load_five_years(client, planner, plan)
    before = (await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=viewer)).json()
    refused = await upload(client, "tasks", workbook([TASK_HEADER, row]), planner, plan_id=plan["id"])
    assert refused.status_code == 422, refused.text
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [(2, column)]
    assert (await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=viewer)).json() == before


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["4.1", "2023-06", 100, "收尾", None, "2023-07-10"], None),  # filed after 4.1 was completed
        (["5.3", "2023-12", 5, "筹备", None, "2023-12-20"], None),  # filed before 5.3 started (2024-01-01)
        (["5.3", "2024-08", 5, "筹备", None, "2024-07-31"], "报告期"),  # a month after its filing
        (["5", "2024-01", 5, "汇总", None, "2024-02-01"], None),  # a parent's progress is derived
        (["nope", "2024-01", 5, "x", None, "2024-02-01"], "任务编号"),
    ],
)
async def test_a_report_the_history_refuses_is_a_row_error(client, planner, plan, row, column):
    await load_five_years(client, planner, plan)
    refused = await upload(
        client, "progress_reports", workbook([REPORT_HEADER, row]), planner, plan_id=plan["id"]
    )
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert (error["row"], error["column"]) == (2, column), error


async def test_a_report_is_never_changed_through_the_ledger(client, planner, viewer, plan):
    await load_five_years(client, planner, plan)
    rows = first_sheet(await export(client, "progress_reports", viewer, plan_id=plan["id"]))
    edited = [list(rows[0]), [*(rows[0][h] for h in rows[0])]]
    edited[1][list(rows[0]).index("进展情况")] = "改写的进展"
    refused = await upload(client, "progress_reports", workbook(edited), planner, plan_id=plan["id"])
    assert refused.status_code == 422 and refused.json()["errors"][0]["column"] == "报告ID"
    edited[1][list(rows[0]).index("报告ID")] = None  # without its id: a new report of the same month
    assert (await upload(client, "progress_reports", workbook(edited), planner, plan_id=plan["id"])).json()[
        "created"
    ] == 1


async def test_reports_loaded_after_the_year_ends_were_stored_replace_them_and_the_evaluation_shows_them(
    app, client, planner, viewer, plan
):
    """The sweep stores the closed years' ends of a plan loaded without its reports; the reports ledger
    loaded afterwards reaches back to June 2022 and deletes those days' rows in its own transaction; the
    evaluation of 2023 shows the reports, replayed, then from the rows the next sweep stores."""
    tasks = await upload(client, "tasks", workbook([TASK_HEADER, *TASKS]), planner, plan_id=plan["id"])
    assert tasks.status_code == 200, tasks.text
    await run_sweep(app)
    assert await stored_days(app) == dict.fromkeys((date(y, 12, 31) for y in range(2021, 2026)), len(TASKS))

    async def four_two() -> dict:
        url = f"/api/v1/plans/{plan['id']}/evaluation?year=2023"
        evaluation = (await client.get(url, headers=viewer)).json()
        four = next(t for t in evaluation["tasks"] if t["code"] == "4")
        return next(t for t in four["children"] if t["code"] == "4.2") if "children" in four else four

    before = await four_two()
    reports = await upload(
        client, "progress_reports", workbook([REPORT_HEADER, *REPORTS]), planner, plan_id=plan["id"]
    )
    assert reports.status_code == 200, reports.text
    assert await stored_days(app) == {date(2021, 12, 31): len(TASKS)}  # 2022-06 onwards changed
    replayed = await four_two()
    await run_sweep(app)
    assert await stored_days(app) == dict.fromkeys((date(y, 12, 31) for y in range(2021, 2026)), len(TASKS))
    assert await four_two() == replayed != before
