"""The integration ports are what the handlers get: the SQLAlchemy unit of work hands out, under each name
`IntegrationUnitOfWork` and `LedgerUnitOfWork` declare here, a repository with every method of its port —
same parameters, awaited alike —, and so does the in-memory one the ring runs on."""

from __future__ import annotations

import inspect
import typing

import pytest

from domain.integration import ports
from domain.integration.ports import IntegrationUnitOfWork, LedgerUnitOfWork
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.handlers.integration.ledgers import ledger_unit


def _declared_here(unit: type) -> dict[str, type]:
    """The unit's repositories whose ports this module declares (the others are their contexts' to guard)."""
    hints = typing.get_type_hints(unit)
    return {name: port for name, port in hints.items() if getattr(port, "__module__", None) == ports.__name__}


INTEGRATION = _declared_here(IntegrationUnitOfWork)
LEDGER = _declared_here(LedgerUnitOfWork)


def _methods(port: type) -> dict[str, object]:
    """Every method a port declares, its own and those of the ports it extends."""
    found: dict[str, object] = {}
    for kind in reversed(port.__mro__):
        if kind.__module__ in ("typing", "builtins"):
            continue
        for name, member in vars(kind).items():
            if inspect.isfunction(member) and not name.startswith("_"):
                found[name] = member
    return found


def _shape(function) -> tuple[bool, list[tuple[str, object]]]:
    parameters = list(inspect.signature(function).parameters.values())[1:]  # without self
    return inspect.iscoroutinefunction(function), [(p.name, p.kind) for p in parameters]


def _real(name: str) -> type:
    return typing.get_type_hints(getattr(SqlAlchemyUnitOfWork, name).fget)["return"]


def _fits(repository: type, port: type, *, only: set[str] | None = None) -> None:
    for method, declared in _methods(port).items():
        if only is not None and method not in only:
            continue
        assert hasattr(repository, method), f"{repository.__name__} lacks {method}"
        assert _shape(getattr(repository, method)) == _shape(declared), f"{repository.__name__}.{method}"


def test_the_ports_name_the_repositories_the_handlers_reach():
    assert sorted(INTEGRATION) == ["deliveries", "events", "webhooks"]
    assert sorted(LEDGER) == [
        "indicators",
        "observations",
        "plans",
        "progress_reports",
        "registry",
        "task_transitions",
        "tasks",
    ]


@pytest.mark.parametrize("name", sorted(INTEGRATION))
def test_both_units_of_work_hand_out_webhook_and_feed_repositories_that_fit_the_port(name):
    _fits(_real(name), INTEGRATION[name])
    _fits(type(getattr(FakeUnitOfWork(), name)), INTEGRATION[name])


@pytest.mark.parametrize("name", sorted(LEDGER))
def test_the_repositories_a_ledger_reaches_fit_its_port(name):
    _fits(_real(name), LEDGER[name])
    # The ledger ring's stand-ins: what the ledger handlers call (the rest of the registry is cultivation's).
    own = set(vars(LEDGER[name])) if name == "registry" else None
    _fits(type(getattr(ledger_unit(), name)), LEDGER[name], only=own)
