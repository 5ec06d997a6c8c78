"""The planning ports are kept by both sides: the SQLAlchemy unit of work and the in-memory fake offer, under
the same names, every method the handlers may call, with the same parameters, awaited alike."""

from __future__ import annotations

import inspect
from typing import Protocol, get_type_hints

import pytest

from domain.planning.ports import PlanningUnitOfWork
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.fakes import FakeUnitOfWork

PORTS = {
    name: port
    for name, port in get_type_hints(PlanningUnitOfWork).items()
    if inspect.isclass(port) and issubclass(port, Protocol) and port is not PlanningUnitOfWork
}


def declared(port: type) -> dict[str, object]:
    """The methods a port declares, its own and those of the ports it extends."""
    methods: dict[str, object] = {}
    for base in reversed(port.__mro__):
        if base.__module__.startswith("domain."):
            methods |= {
                k: v for k, v in vars(base).items() if inspect.isfunction(v) and not k.startswith("_")
            }
    return methods


def shape(function) -> tuple[list[str], bool]:
    parameters = list(inspect.signature(function).parameters)[1:]  # without self
    return parameters, inspect.iscoroutinefunction(function)


def test_the_unit_of_work_port_names_every_planning_repository():
    assert set(PORTS) == {
        "plans",
        "tasks",
        "task_transitions",
        "task_history",
        "progress_reports",
        "attachments",
        "extension_requests",
        "urges",
        "indicators",
        "observations",
        "live_indicators",
        "task_rollups",
    }


@pytest.mark.parametrize("name", sorted(PORTS))
def test_the_real_and_the_fake_repository_keep_the_port(name):
    real = get_type_hints(getattr(SqlAlchemyUnitOfWork, name).fget)["return"]
    fake = type(getattr(FakeUnitOfWork(), name))
    methods = declared(PORTS[name])
    no_aggregate = ("task_history", "live_indicators", "task_rollups")  # reads and derived rows only
    assert {"get", "add", "delete"} <= set(methods) or name in no_aggregate
    for method, wanted in methods.items():
        for kind in (real, fake):
            assert shape(getattr(kind, method)) == shape(wanted), f"{kind.__name__}.{method}"
