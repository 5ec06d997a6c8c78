"""The chain ports are kept by both units of work: every method a port declares exists, with the same
parameters, on the repository the SQLAlchemy unit of work hands out and on the in-memory one (no type
checker runs here, so this is what says that the handler ring and the database ring run the same calls)."""

from __future__ import annotations

import inspect
from typing import Protocol, get_type_hints

import pytest

from domain.chains import ports
from domain.shared.uow import UnitOfWork
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.fakes import FakeUnitOfWork

UNITS = (ports.ChainsUnitOfWork, ports.ChiefsUnitOfWork, ports.ProductionUnitOfWork)
SHARED = set(get_type_hints(UnitOfWork))


def _declared(port: type) -> dict[str, inspect.Signature]:
    """The methods a port declares, its own and those of the ports it extends."""
    methods = {}
    for cls in reversed(port.__mro__):
        if cls in (object, Protocol) or cls.__module__ == "typing":
            continue
        for name, value in vars(cls).items():
            if inspect.isfunction(value) and not name.startswith("_"):
                methods[name] = inspect.signature(value)
    return methods


def _parameters(signature: inspect.Signature) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in signature.parameters.values()]


REPOSITORIES = sorted(
    {(name, port) for unit in UNITS for name, port in get_type_hints(unit).items() if name not in SHARED},
    key=lambda pair: pair[0],
)


@pytest.mark.parametrize(("attribute", "port"), REPOSITORIES, ids=[name for name, _ in REPOSITORIES])
def test_both_units_of_work_hand_out_what_the_port_declares(attribute, port):
    real = get_type_hints(getattr(SqlAlchemyUnitOfWork, attribute).fget)["return"]
    fake = type(getattr(FakeUnitOfWork(), attribute))
    declared = _declared(port)
    assert declared, port
    for name, signature in declared.items():
        for implementation in (real, fake):
            method = getattr(implementation, name, None)
            assert method is not None, f"{implementation.__name__} lacks {name}"
            assert _parameters(inspect.signature(method)) == _parameters(signature), (implementation, name)
