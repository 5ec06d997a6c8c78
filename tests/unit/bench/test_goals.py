"""The benchmark's goals judged on a run's results: met or missed, by the factor a reader checks."""

from tools.bench.goals import GOALS, NOT_SCENARIOS, verdicts


def level(concurrency: int, *, requests: int = 100, p95_ms: float = 10.0, server: float = 1.0, pg=None):
    cpu = {"server_cores": server, "wall_s": 1.0, **({} if pg is None else {"postgres_cores": pg})}
    return {"concurrency": concurrency, "requests": requests, "p95_ms": p95_ms, "max_ms": p95_ms, "cpu": cpu}


def results(verify: dict) -> dict:
    one = {
        "label": "postgresql-1w",
        "workers": 1,
        "get_one_ratio": [0.07, 0.5],
        "scenarios": {
            # 100 requests in 1 s on 0.2 server + 0.02 PostgreSQL cores: 2.2 ms CPU a request
            "get_enterprise": {"title": "GET one", "levels": [level(16, server=0.2, pg=0.02)]},
            "list_tasks_in_progress": {"title": "tasks", "levels": [level(1, p95_ms=20.0)]},
            "evaluation_docx": {"title": "docx", "skipped": "endpoint not available yet (404)"},
        },
    }
    return {"backends": [{"backend": "postgresql", "configs": [one], "verify": verify}]}


def rows_for(run: dict, goal_text: str) -> list[dict]:
    return [row for row in verdicts(run) if row["goal"].startswith(goal_text)]


def test_a_cpu_goal_missed_says_by_how_much_counting_the_database_backends():
    [row] = rows_for(results({"exit_code": 0, "seconds": 1.0}), "GET one, CPU per request ≤ 1.0 ms")
    assert row["verdict"] == "MISSED by 2.20× (2.20 × goal)"
    assert row["goal"].endswith("(required)")


def test_a_latency_goal_met_and_a_ratio_goal_judged_each_round():
    run = results({"exit_code": 0, "seconds": 1.0})
    [tasks] = rows_for(run, "tasks page status=in_progress p95 ≤ 25 ms")
    assert tasks["verdict"] == "met (0.80 × goal)"
    ratios = rows_for(run, "GET one at 16 clients ≥ 0.35 × ceiling")
    assert [r["verdict"] for r in ratios] == ["MISSED by 5.00× (0.20 × goal)", "met (1.43 × goal)"]


def test_a_scenario_not_built_or_a_command_missing_is_not_measured_never_met():
    run = results({"skipped": "gaoxin verify is not a command yet"})
    [docx] = rows_for(run, "evaluation report (.docx) < 5 s")
    [verify] = rows_for(run, "gaoxin verify")
    assert docx["verdict"] == verify["verdict"] == "not measured"
    assert verify["figure"] == "gaoxin verify is not a command yet"


def test_verify_failing_is_missed_and_sqlite_only_goals_stay_off_postgresql():
    run = results({"exit_code": 1, "seconds": 3.0})
    [verify] = rows_for(run, "gaoxin verify")
    assert verify["verdict"] == "MISSED (exit 1)"
    assert not rows_for(run, "GET one at 16 clients ≥ 0.2 × ceiling")
    assert {g.issue for g in GOALS} == {8, 18, 19}


def test_every_goal_names_a_scenario_the_benchmark_runs_with_the_workers_it_asks_for():
    from pathlib import Path

    from tools.bench.scenarios import Ids, build_scenarios

    ids = Ids(enterprises=["e1"], plan="p1", chains=["c1"], open_leaves=["t1"])
    for workers in (1, 2):
        scenarios = {s.key: s for s in build_scenarios(ids, Path("book.bin"), quick=True, workers=workers)}
        for goal in GOALS:
            if goal.scenario in NOT_SCENARIOS or goal.workers not in (None, workers):
                continue
            assert goal.scenario in scenarios, (goal.text, workers)
            if goal.concurrency:
                levels = [level.concurrency for level in scenarios[goal.scenario].levels]
                assert goal.concurrency in levels, (goal.text, workers)


def test_a_level_with_unexpected_answers_is_no_figure_and_no_ratio_of_its_throughput():
    """`gaoxin serve --workers 2` once answered 40 % of GETs 500 at a higher rate than the ceiling ratio
    goal asked: a level with answers the scenario does not expect (or transport errors) counts for nothing."""
    run = results({"exit_code": 0, "seconds": 1.0})
    config = run["backends"][0]["configs"][0]
    failing = level(16, server=0.05, pg=0.01) | {"ok": 60, "errors": {"ReadError": 1}}
    config["scenarios"]["get_enterprise"]["levels"] = [failing]
    [cpu] = rows_for(run, "GET one, CPU per request ≤ 1.0 ms")
    assert cpu["verdict"] == "not measured"
    assert cpu["figure"] == "c=16: 41 unexpected answers: see the log"
    ratios = rows_for(run, "GET one at 16 clients ≥ 0.35 × ceiling")
    assert [r["verdict"] for r in ratios] == ["not measured", "not measured"]
    config["scenarios"]["get_enterprise"]["levels"] = [failing | {"ok": 100, "errors": {}}]
    [cpu] = rows_for(run, "GET one, CPU per request ≤ 1.0 ms")
    assert cpu["verdict"] == "met (0.60 × goal)"
