"""The evaluation workbook carries the evaluation report's charts as native charts that openpyxl reads back,
plotting the numbers of GET /plans/{id}/evaluation."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart

from tests.api.ledgers.helpers import export
from tests.api.ledgers.test_evaluation import seeded_plan


def plotted(sheet, chart, series: int = 0) -> list:
    """The values a chart's series reads from its sheet."""
    reference = chart.series[series].val.numRef.f
    area = reference.rsplit("!", 1)[1].replace("$", "")
    return [cell.value for row in sheet[area] for cell in row]


def title(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


async def test_the_evaluation_workbook_has_the_reports_charts(app, client, planner, viewer):
    plan = await seeded_plan(app, client, planner)
    indicators = (await client.get("/api/v1/indicators?limit=50", headers=planner)).json()["items"]
    gdp = next(i for i in indicators if i["code"] == 2)
    for year, value in ((2021, "104"), (2022, "113.5"), (2023, "127")):
        url = f"/api/v1/indicators/{gdp['id']}/observations/{year}"
        assert (await client.put(url, json={"value": value}, headers=planner)).status_code == 201
    body = (await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2023", headers=viewer)).json()

    book = load_workbook(BytesIO(await export(client, "evaluation", viewer, plan_id=plan["id"], year=2023)))
    paths, bars = book["指标走势图"], book["梯度与产业链图"]
    assert all(isinstance(chart, LineChart) for chart in paths._charts)
    assert len(paths._charts) == len(body["indicators"]) == 24  # one path an indicator
    assert all(isinstance(chart, BarChart) for chart in bars._charts)
    # no chain is loaded here: no coverage chart, the pipeline's charts all at 0
    assert [title(c).split("（")[0] for c in bars._charts] == [
        "企业梯度金字塔",
        "梯度培育指标：规划目标、名录统计与填报值",
        "招商项目按当前阶段分布",
        "招商项目各年进入各阶段的数量",
    ]
    gdp_chart = next(c for c in paths._charts if title(c).startswith("2. 地区生产总值"))
    actual = plotted(paths, gdp_chart, 1)
    assert actual[1:4] == [104, 113.5, 127]  # the observations the body lists, year by year
    assert [o["value"] for o in next(i for i in body["indicators"] if i["code"] == 2)["observations"]] == [
        "104",
        "113.5",
        "127",
    ]
