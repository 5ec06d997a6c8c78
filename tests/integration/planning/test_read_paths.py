"""The fast read paths give what the whole-plan load gives: latest reports, subtrees, nodes, tree JSON."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from domain.planning.handlers.common import THRESHOLDS, nodes_of, plan_tree_of, record_node, trees_of
from domain.planning.history import TaskHistory, task_as_of
from domain.planning.plan import Plan
from domain.planning.progress import TaskNode, TaskRecord, build_tree, latest_reports
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, TaskStatus
from domain.planning.workflow import ExtensionRequest, urge
from infrastructure.db.tables import planning as t
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.representation import represent
from services.api.routers.planning.views import nested_json, task_fields
from services.api.schemas.planning import PlanOut, TreeOut

# Days before, at and after the records' dates; TODAY splits them into reads of the past (from history) and
# reads from today on (the tasks' own fields): both must give what the rules give over every record.
DAYS = (
    date(2022, 6, 30),
    date(2023, 6, 29),
    date(2023, 6, 30),
    date(2023, 12, 31),
    date(2024, 6, 14),
    date(2024, 6, 15),
    date(2026, 1, 1),
)
TODAY = date(2025, 1, 1)
RECORDED = datetime(2025, 1, 1, 8, tzinfo=UTC)


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2023, 3, day, hour, tzinfo=UTC)


async def make_plan(app) -> tuple[str, dict[str, str]]:
    """Three levels, every status reached by dated moves, an all-cancelled parent with its own report, ties,
    reports returned before and after a day, urges and an extension decided on the edge of a day."""
    ids: dict[str, str] = {}
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        plan, other = (
            Plan(title="规划", start_year=2021, end_year=2025),
            Plan(title="另一规划", start_year=2021, end_year=2025),
        )
        uow.plans.add(plan)
        uow.plans.add(other)
        await uow.flush()

        def task(key: str, parent: str | None, code: str | None, *moves: tuple[str, date], **more) -> Task:
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
            previous = None
            for action, on in moves:
                previous = made.transition(
                    action, reason="规划调整", on=on, today=TODAY, previous=previous, by="test", at=RECORDED
                )
                made_moves.append(previous)
            return made

        made_moves: list = []

        task("root", None, "1")
        root2 = task("root2", None, "2", weight=Decimal("2.5"), due=date(2023, 6, 30))
        task("sec", "root", "1.10")
        task("sec2", "root", "1.2", weight=Decimal(3))
        task("leaf_a", "sec", "1.10.1", ("start", date(2021, 3, 1)))
        task(
            "leaf_b",
            "sec",
            "1.10.2",
            ("start", date(2021, 5, 1)),
            ("complete", date(2023, 6, 30)),
            weight=Decimal("0.5"),
        )
        task("leaf_c", "sec", None, ("cancel", date(2022, 1, 10)))
        # sec2's only child, cancelled on 2023-12-31: from then on sec2 is a leaf
        task("leaf_d", "sec2", "1.2.1", ("cancel", date(2023, 12, 31)))
        task(
            "leaf_e",
            "root2",
            "2.1",
            ("start", date(2021, 3, 1)),
            ("suspend", date(2024, 6, 15)),
            ("resume", date(2024, 6, 15)),
            ("suspend", date(2024, 6, 15)),  # three moves on one day: their order decides
            start=None,
        )
        task("leaf_f", "root2", "2.二", due=date(2030, 1, 1))
        task("elsewhere", None, "1", plan_id=other.id)
        await uow.flush()  # without ORM relationships nothing orders the tasks before their moves
        for move in made_moves:
            uow.task_transitions.add(move)
        # root2: urged twice (the second late on 2024-06-15 UTC, 2024-06-16 in Asia/Shanghai), extended on
        # 2023-12-31 at 23:59 Asia/Shanghai from 2023-06-30 to 2024-01-31.
        for at in (datetime(2023, 7, 5, 2, tzinfo=UTC), datetime(2024, 6, 15, 16, 30, tzinfo=UTC)):
            uow.urges.add(urge(root2, note=None, by="planner", at=at))
        request = ExtensionRequest.request(
            root2, new_due_date=date(2024, 1, 31), reason="延期", requested_by="dept", at=_at(5)
        )
        request.decide(
            root2, approved=True, by="planner", note=None, at=datetime(2023, 12, 31, 15, 59, tzinfo=UTC)
        )
        uow.extension_requests.add(request)
        returned_on_the_edge = datetime(2024, 6, 14, 16, tzinfo=UTC)  # 2024-06-15 00:00 in Asia/Shanghai
        reports = [
            ("leaf_a", "2023-01", 30, _at(1), None),
            ("leaf_a", "2023-02", 45, _at(2), None),
            ("leaf_a", "2023-03", 90, _at(3), returned_on_the_edge),  # counts up to 2024-06-14
            ("leaf_a", "2022-06", 20, _at(3), datetime(2022, 7, 1, tzinfo=UTC)),  # returned before 2023
            ("leaf_b", "2022-05", 10, _at(1), None),
            ("sec2", "2023-02", 70, _at(1), None),  # the all-cancelled parent reports itself
            ("sec2", "2023-02", 75, _at(1, 10), None),  # same period, filed later: this one
            ("leaf_e", "2022-11", 12.5, _at(1), None),
            ("leaf_f", "2024-01", 60, _at(4), None),
            ("leaf_f", "2024-01", 61, _at(4), None),  # a full tie: the greater id wins
            ("elsewhere", "2023-01", 99, _at(1), None),
        ]
        for key, period, percent, filed, returned_at in reports:
            report = ProgressReport(
                task_id=ids[key], period=period, percent=percent, summary="进展", filed_at=filed
            )
            report.returned, report.returned_at = returned_at is not None, returned_at
            uow.progress_reports.add(report)
        await uow.commit()
    return plan.id, ids


async def oracle_tree(uow, plan_id: str, on: date):
    """The tree on `on` by the rules alone, over every record of the plan loaded whole (no read path)."""
    tasks = await uow.tasks.of_plans([plan_id])
    ids = [task.id for task in tasks]
    moves = await uow.task_transitions.of_tasks(ids)
    histories = {}
    for task in tasks:
        urged = [u.at for u in await uow.urges.all_of_task(task.id)]
        decided = [
            (x.decided_at, x.new_due_date)
            for x in await uow.extension_requests.all_of_task(task.id)
            if str(x.status) == "approved"
        ]
        histories[task.id] = TaskHistory(moves.get(task.id, []), urged, decided)
    stood = [task_as_of(task, histories[task.id], on) for task in tasks]
    reports = [r for task_id in ids for r in await uow.progress_reports.all_of_task(task_id)]
    return build_tree(stood, reports, on=on, thresholds=THRESHOLDS)


def _facts(node) -> tuple:
    task = node.task
    return (
        task.id,
        task.status,
        task.due_date,
        task.original_due_date,
        task.urge_count,
        node.progress,
        node.warning,
        node.overdue,
        node.escalation,
    )


async def test_latest_records_are_the_latest_counting_on_the_day(app):
    plan_id, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        every = [r for task_id in ids.values() for r in await uow.progress_reports.all_of_task(task_id)]
        for day in (*DAYS, None):
            new = await uow.progress_reports.latest_records(plan_ids=[plan_id], as_of=day)
            expected = latest_reports([r for r in every if r.task_id != ids["elsewhere"]], day or TODAY)
            assert {r.task_id: (r.period, r.filed_at, r.percent) for r in new} == {
                task_id: (r.period, r.filed_at, r.percent) for task_id, r in expected.items()
            }, day
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


async def test_every_read_path_gives_what_the_rules_give_over_every_record(app):
    """The plan tree, the nodes of any subset (the task list, a task) and the fallback over the whole plan,
    on days in the past (read from history) and from today on (the tasks' own fields)."""
    plan_id, _ = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        tasks = await uow.tasks.of_plans([plan_id])
        for day in DAYS:
            oracle = await oracle_tree(uow, plan_id, day)
            fast = await plan_tree_of(plan_id, on=day, today=TODAY, uow=uow)
            assert [_facts(n) for n in fast] == [_facts(n) for n in oracle], day
            assert [n.task.id for n in fast.roots] == [n.task.id for n in oracle.roots]
            whole = (await trees_of([plan_id], on=day, today=TODAY, uow=uow))[plan_id]
            assert [_facts(n) for n in whole] == [_facts(n) for n in oracle]
            for subset in (tasks, [tasks[0]], [t for t in tasks if t.parent_id is not None][::-1]):
                nodes = await nodes_of(subset, on=day, today=TODAY, uow=uow)
                assert [_facts(n) for n in nodes] == [_facts(oracle.nodes[t.id]) for t in subset], day
                if day >= TODAY:  # from today on, each node holds the task given
                    assert all(node.task is task for node, task in zip(nodes, subset, strict=True))
            for task in tasks:  # one task read as records, in one statement (GET one task)
                node = await record_node(task.id, on=day, today=TODAY, uow=uow)
                assert _facts(node) == _facts(oracle.nodes[task.id]), (day, task.id)
        assert await record_node("no-such-task", on=TODAY, today=TODAY, uow=uow) is None


async def test_subtrees_with_their_reports_are_the_two_reads_in_one(app):
    _, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        for roots in ([ids["root"]], [ids["sec"], ids["root2"]], [ids["leaf_a"]], list(ids.values())):
            for day in (*DAYS, None):
                records, reports = await uow.tasks.subtree_with_reports(roots, as_of=day)
                apart = await uow.progress_reports.latest_records(subtrees_of=roots, as_of=day)
                assert _records(records) == _records(await uow.tasks.subtree_records(roots))
                assert _reports(reports) == _reports(apart), (roots, day)
        assert await uow.tasks.subtree_with_reports([]) == ([], [])


def _records(records) -> list[tuple]:
    return sorted(tuple(getattr(r, f.name) for f in fields(TaskRecord)) for r in records)


def _reports(records) -> list[tuple]:
    return sorted((r.task_id, r.period, r.filed_at, r.percent, r.returned, r.returned_at) for r in records)


async def test_a_day_in_the_past_shows_each_task_as_it_stood(app):
    """Spot checks of the history the oracle reads, so that a wrong oracle cannot pass unnoticed."""
    plan_id, ids = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:

        def node(tree, key):
            return tree.nodes[ids[key]]

        before, on, after = [
            await plan_tree_of(plan_id, on=day, today=TODAY, uow=uow)
            for day in (date(2023, 6, 29), date(2023, 6, 30), date(2023, 12, 31))
        ]
        assert node(before, "leaf_b").task.status is TaskStatus.IN_PROGRESS
        assert node(on, "leaf_b").task.status is TaskStatus.COMPLETED  # completed that day
        assert node(before, "root2").task.urge_count == 0 and node(after, "root2").task.urge_count == 1
        assert (node(after, "root2").task.due_date, node(after, "root2").task.original_due_date) == (
            date(2024, 1, 31),
            date(2023, 6, 30),
        )
        assert (node(on, "root2").task.due_date, node(on, "root2").task.original_due_date) == (
            date(2023, 6, 30),
            None,
        )
        assert node(on, "leaf_d").task.status is TaskStatus.NOT_STARTED
        assert node(after, "leaf_d").task.status is TaskStatus.CANCELLED
        edge = [await plan_tree_of(plan_id, on=d, today=TODAY, uow=uow) for d in DAYS[4:6]]
        assert [node(tree, "leaf_a").progress for tree in edge] == [90, 45]  # returned on 2024-06-15
        assert [node(tree, "leaf_e").task.status for tree in edge] == [
            TaskStatus.IN_PROGRESS,
            TaskStatus.SUSPENDED,
        ]
        # leaf_a's 2022-06 report, returned on 2022-07-01 (08:00 in Asia/Shanghai): it counted the day before
        june, july = [
            await plan_tree_of(plan_id, on=d, today=TODAY, uow=uow)
            for d in (date(2022, 6, 30), date(2022, 7, 1))
        ]
        assert (node(june, "leaf_a").progress, node(july, "leaf_a").progress) == (20, 0)


def nested(node: TaskNode) -> dict[str, Any]:
    """The oracle: a node and its children, recursively, as the response model TreeOut reads them."""
    return {**task_fields(node), "children": [nested(child) for child in node.children]}


async def test_the_tree_json_is_what_the_response_model_renders(app):
    plan_id, _ = await make_plan(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        plan = await uow.plans.get(plan_id)
        for day in DAYS:
            tree = await plan_tree_of(plan_id, on=day, today=TODAY, uow=uow)
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
        whole = (await trees_of([plan_id], on=DAYS[5], today=TODAY, uow=uow))[plan_id]
        nodes = await nodes_of(tasks, on=DAYS[5], today=TODAY, uow=uow)
        assert [_facts(n) for n in nodes] == [_facts(whole.nodes[t.id]) for t in tasks]
