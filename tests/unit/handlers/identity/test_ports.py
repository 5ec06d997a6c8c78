"""The identity ports are what the handlers get: the SQLAlchemy unit of work and the in-memory one both
hand out, under each name `IdentityUnitOfWork` declares, a repository with every method of its port —
same parameters, awaited alike — so that the ring tests what the service runs."""

from __future__ import annotations

import inspect
import typing

import pytest

from domain.identity import ports
from domain.identity.ports import IdentityUnitOfWork
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.fakes import FakeUnitOfWork

REPOSITORY_PORTS = {
    name: port
    for name, port in typing.get_type_hints(IdentityUnitOfWork).items()
    if getattr(port, "__module__", None) == ports.__name__
}


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


def _fake(name: str) -> type:
    return type(getattr(FakeUnitOfWork(), name))


def test_the_port_names_every_identity_repository():
    assert sorted(REPOSITORY_PORTS) == [
        "client_tokens",
        "clients",
        "departments",
        "refresh_tokens",
        "sessions",
        "source_throttle",
        "throttle",
        "users",
    ]


@pytest.mark.parametrize("implementation", [_real, _fake], ids=["sqlalchemy", "in-memory"])
@pytest.mark.parametrize("name", sorted(REPOSITORY_PORTS))
def test_each_unit_of_work_hands_out_a_repository_that_fits_the_port(implementation, name):
    repository = implementation(name)
    for method, declared in _methods(REPOSITORY_PORTS[name]).items():
        assert hasattr(repository, method), f"{repository.__name__} lacks {method}"
        assert _shape(getattr(repository, method)) == _shape(declared), f"{repository.__name__}.{method}"
