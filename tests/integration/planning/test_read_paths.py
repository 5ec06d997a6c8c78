"""The fast read paths give what the whole-plan load gives: latest reports, subtrees, nodes, tree JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from domain.planning.handlers.common import nodes_of, plan_tree_of, trees_of
from domain.planning.plan import Plan
from domain.planning.progress import TaskNode
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, TaskStatus
from infrastructure.db.tables import planning as t
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.representation import represent
from services.api.routers.planning._views import nested_json, task_fields
from services.api.schemas.planning import PlanOut, TreeOut

DAYS = (date(2022, 6, 30), date(2023, 12, 31), date(2024, 6, 15), date(2026, 1, 1))


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2023, 3, day, hour, tzinfo=UTC)


async def make_plan(app) -> tuple[str, dict[str, str]]:
    """Three levels, every status, an all-cancelled parent with its own report, ties, returned reports."""
    ids: dict[str, str] = {}
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        plan, other = (
            Plan(title="规划", start_year=2021, end_year=2025),
            Plan(title="另一规划", start_year=2021, end_year=2025),
        )
        uow.plans.add(plan)
        uow.plans.add(other)
        await uow.session.flush()

        def task(key: str, parent: str | None, code: str | None, **more) -> Task:
            made = Task.create(
                plan_id=more.pop("plan_id", plan.id),
                parent_id=ids.get(parent) if parent else None,
                code=code,
                title=key,
                start_date=more.pop("start", date(2021, 3, 1)),
                due_date=more.pop("due", date(2024, 7, 1)),
                **more,
            )
            ids[key] = made.id
            uow.tasks.add(made)
            return made

        task("root", None, "1")
        task("root2", None, "2", weight=Decimal("2.5"), urge_count=2, due=date(2023, 6, 30))
        task("sec", "root", "1.10")
        task("sec2", "root", "1.2", weight=Decimal(3))
        task("leaf_a", "sec", "1.10.1", status=TaskStatus.IN_PROGRESS)
        task("leaf_b", "sec", "1.10.2", status=TaskStatus.COMPLETED, weight=Decimal("0.5"))
        task("leaf_c", "sec", None, status=TaskStatus.CANCELLED)
        task("leaf_d", "sec2", "1.2.1", status=TaskStatus.CANCELLED)  # sec2's only child: sec2 is a leaf
        task("leaf_e", "root2", "2.1", status=TaskStatus.SUSPENDED, start=None)
        task("leaf_f", "root2", "2.二", due=date(2030, 1, 1))
        task("elsewhere", None, "1", plan_id=other.id)
        await uow.session.flush()
        reports = [
            ("leaf_a", "2023-01", 30, _at(1), False),
            ("leaf_a", "2023-02", 45, _at(2), False),
            ("leaf_a", "2023-03", 90, _at(3), True),  # returned: 2023-02 counts
            ("leaf_b", "2022-05", 10, _at(1), False),
            ("sec2", "2023-02", 70, _at(1), False),  # the all-cancelled parent reports itself
            ("sec2", "2023-02", 75, _at(1, 10), False),  # same period, filed later: this one
            ("leaf_e", "2022-11", 12.5, _at(1), False),
            ("leaf_f", "2024-01", 60, _at(4), False),
            ("leaf_f", "2024-01", 61, _at(4), False),  # a full tie: the greater id wins
            ("elsewhere", "2023-01", 99, _at(1), False),
        ]
        for key, period, percent, filed, returned in reports:
            report = ProgressReport(
                task_id=ids[key], period=period, percent=percent, summary="进展", filed_at=filed
            )
            report.returned = returned
            uow.progress_reports.add(report)
        await uow.commit()
    return plan.id, ids


def _facts(node) -> tuple:
    return (node.task.id, node.progress, node.warning, node.overdue, node.escalation)


async def test_latest_records_are_the_latest_per_task(app):
    plan_id, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        for until in (None, "2023-01", "2023-12"):
            old = {
                r.task_id: (r.period, r.filed_at, r.percent)
                for r in await uow.progress_reports.latest_per_task([plan_id], until_period=until)
            }
            new = await uow.progress_reports.latest_records(plan_ids=[plan_id], until_period=until)
            assert {r.task_id: (r.period, r.filed_at, r.percent) for r in new} == old
            assert len(new) == len(old)
            assert not any(r.returned for r in new)
        below = await uow.progress_reports.latest_records(subtrees_of=[ids["sec"], ids["root2"]])
        assert {r.task_id for r in below} == {ids[k] for k in ("leaf_a", "leaf_b", "leaf_e", "leaf_f")}
        assert await uow.progress_reports.latest_records(subtrees_of=[]) == []


async def test_subtree_records_are_the_tasks_and_all_below_them(app):
    plan_id, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        records = await uow.tasks.subtree_records([ids["root"], ids["leaf_f"]])
        expected = {"root", "sec", "sec2", "leaf_a", "leaf_b", "leaf_c", "leaf_d", "leaf_f"}
        assert {r.id for r in records} == {ids[k] for k in expected}
        orm = {task.id: task for task in await uow.tasks.of_plans([plan_id])}
        for record in records:  # the same values as the mapped entity, field by field
            for name in ("plan_id", "parent_id", "code", "weight", "status", "start_date", "due_date"):
                assert getattr(record, name) == getattr(orm[record.id], name), name
            assert record.is_open == orm[record.id].is_open
        assert await uow.tasks.subtree_records([]) == []


async def test_nodes_of_subtrees_match_the_whole_plan_tree(app):
    plan_id, _ = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        tasks = await uow.tasks.of_plans([plan_id])
        for day in DAYS:
            whole = (await trees_of([plan_id], on=day, uow=uow))[plan_id]
            for subset in (tasks, [tasks[0]], [t for t in tasks if t.parent_id is not None][::-1]):
                nodes = await nodes_of(subset, on=day, uow=uow)
                assert [_facts(n) for n in nodes] == [_facts(whole.nodes[t.id]) for t in subset]
                assert all(node.task is task for node, task in zip(nodes, subset, strict=True))
            fast = await plan_tree_of(plan_id, on=day, uow=uow)
            assert [_facts(n) for n in fast] == [_facts(n) for n in whole]
            assert [n.task.id for n in fast.roots] == [n.task.id for n in whole.roots]


async def test_a_parent_cycle_falls_back_to_the_whole_plan(app):
    plan_id, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        # Bad data no handler lets in: sec hangs under its own child leaf_a.
        await uow.session.execute(
            update(t.tasks).where(t.tasks.c.id == ids["sec"]).values(parent_id=ids["leaf_a"])
        )
        tasks = await uow.tasks.of_plans([plan_id])
        whole = (await trees_of([plan_id], on=DAYS[2], uow=uow))[plan_id]
        nodes = await nodes_of(tasks, on=DAYS[2], uow=uow)
        assert [_facts(n) for n in nodes] == [_facts(whole.nodes[t.id]) for t in tasks]


def nested(node: TaskNode) -> dict[str, Any]:
    """The oracle: a node and its children, recursively, as the response model TreeOut reads them."""
    return {**task_fields(node), "children": [nested(child) for child in node.children]}


async def test_the_tree_json_is_what_the_response_model_renders(app):
    plan_id, _ = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        plan = await uow.plans.get(plan_id)
        for day in DAYS:
            tree = await plan_tree_of(plan_id, on=day, uow=uow)
            plan_body = represent(PlanOut, plan)
            slow = represent(TreeOut, {"plan": plan_body, "tasks": [nested(root) for root in tree.roots]})
            assert {"plan": plan_body, "tasks": nested_json(tree.roots)} == slow
            assert list(nested_json(tree.roots)[0]) == list(slow["tasks"][0])  # the same field order


async def test_a_child_in_another_plan_falls_back_to_the_whole_plan(app):
    plan_id, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        other = await uow.tasks.get(ids["elsewhere"])
        # Bad data no handler lets in: leaf_f moved to another plan, still under root2.
        await uow.session.execute(
            update(t.tasks).where(t.tasks.c.id == ids["leaf_f"]).values(plan_id=other.plan_id)
        )
        tasks = await uow.tasks.of_plans([plan_id])
        whole = (await trees_of([plan_id], on=DAYS[2], uow=uow))[plan_id]
        nodes = await nodes_of(tasks, on=DAYS[2], uow=uow)
        assert [_facts(n) for n in nodes] == [_facts(whole.nodes[t.id]) for t in tasks]
