"""The tree, the task list, the evaluation and my tasks take the same number of queries for 3 tasks or 60."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.planning.plan import Plan
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.accounts import bearer, make_department, make_user
from tests.support.statements import statements_sent


async def make_plan(app, leaves: int, department_id: str) -> str:
    """A plan with one key task, `leaves` measures under it, each with two reports (one returned)."""
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        plan = Plan(title=f"规划{leaves}", start_year=2021, end_year=2025)
        uow.plans.add(plan)
        await uow.flush()
        root = Task.create(plan_id=plan.id, code="1", title="重点任务")
        uow.tasks.add(root)
        reports = []
        for n in range(leaves):
            leaf = Task.create(
                plan_id=plan.id,
                parent_id=root.id,
                code=f"1.{n + 1}",
                title=f"举措{n + 1}",
                lead_department_id=department_id,
                start_date=date(2021, 1, 1),
                due_date=date(2025, 12, 31),
            )
            uow.tasks.add(leaf)
            for period, returned in (("2023-01", False), ("2023-02", True)):
                at = datetime(2023, 3, 1, tzinfo=UTC)
                report = ProgressReport(
                    task_id=leaf.id, period=period, percent=n % 100, summary="进展", filed_at=at
                )
                report.returned = returned
                reports.append(report)
        # tasks before their reports: the mappings have no relationships to order them
        await uow.flush()
        for report in reports:
            uow.progress_reports.add(report)
        await uow.commit()
        return plan.id


async def queries(app, client, headers, url: str) -> int:
    with statements_sent(app) as statements:
        response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return len(statements)


async def test_reads_take_a_fixed_number_of_queries(app, client):
    department = await make_department(app)
    await make_user(app, "staff", ["department"], department_id=department.id)
    headers = await bearer(client, "staff")
    small, large = await make_plan(app, 3, department.id), await make_plan(app, 60, department.id)
    await client.get("/api/v1/me", headers=headers)  # on PostgreSQL the principal is remembered from here on
    for template in (
        "/api/v1/plans/{}/tree",
        "/api/v1/tasks?plan_id={}&limit=200",
        "/api/v1/tasks?plan_id={}&warning=yellow",
        "/api/v1/plans/{}/evaluation?year=2023",
    ):
        few = await queries(app, client, headers, template.format(small))
        many = await queries(app, client, headers, template.format(large))
        assert few == many, template
    assert await queries(app, client, headers, "/api/v1/me/tasks?limit=200") <= 12


async def test_a_task_list_shows_the_latest_non_returned_report(app, client):
    department = await make_department(app)
    await make_user(app, "staff", ["department"], department_id=department.id)
    headers = await bearer(client, "staff")
    plan_id = await make_plan(app, 5, department.id)
    tree = (await client.get(f"/api/v1/plans/{plan_id}/tree", headers=headers)).json()
    leaves = tree["tasks"][0]["children"]
    # The 2023-02 reports were returned: each leaf shows its 2023-01 percent (0…4); the root their mean.
    assert [leaf["progress"] for leaf in leaves] == [0, 1, 2, 3, 4]
    assert tree["tasks"][0]["progress"] == 2
