"""What "a repository keeps its port" means, for the handler ring's port tests: every method the port declares
(its own and those of the ports it extends) exists on the implementation, awaited alike, with the same
parameters in the same order — an implementation may offer more, keyword-only with defaults. No type checker
runs in CI, so this is what says that the ring (in memory) and the service (SQLAlchemy) run the same calls."""

from __future__ import annotations

import inspect
import typing
from typing import Protocol

from domain.shared.uow import UnitOfWork
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

SHARED = set(typing.get_type_hints(UnitOfWork))  # actor: not a repository


def repository_ports(unit: type) -> dict[str, type]:
    """The repositories a unit-of-work port carries: attribute name → its repository port."""
    return {
        name: port
        for name, port in typing.get_type_hints(unit).items()
        if name not in SHARED and inspect.isclass(port) and issubclass(port, Protocol)
    }


def declared_methods(port: type) -> dict[str, object]:
    """Every method a port declares, its own and those of the ports it extends."""
    found: dict[str, object] = {}
    for kind in reversed(port.__mro__):
        if kind is object or kind.__module__ == "typing":
            continue
        for name, member in vars(kind).items():
            if inspect.isfunction(member) and not name.startswith("_"):
                found[name] = member
    return found


def _parameters(function) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())[1:]  # without self


def misfits(implementation: type, port: type, *, only: set[str] | None = None) -> list[str]:
    """How `implementation` fails the port (empty when it keeps it)."""
    found = []
    for name, declared in declared_methods(port).items():
        if only is not None and name not in only:
            continue
        offered = getattr(implementation, name, None)
        if offered is None:
            found.append(f"{implementation.__name__} lacks {name}")
            continue
        wanted = [(p.name, p.kind) for p in _parameters(declared)]
        given = _parameters(offered)
        extra = [p for p in given if p.name not in {n for n, _ in wanted}]
        kept = [(p.name, p.kind) for p in given if p.name in {n for n, _ in wanted}]
        # awaited alike: a coroutine where the port declares one (a plain def returning an async iterator
        # is kept by an async generator)
        if kept != wanted or inspect.iscoroutinefunction(offered) != inspect.iscoroutinefunction(declared):
            found.append(f"{implementation.__name__}.{name} is not {port.__name__}.{name}")
        elif any(p.kind is not p.KEYWORD_ONLY or p.default is p.empty for p in extra):
            found.append(f"{implementation.__name__}.{name} asks for more than {port.__name__}.{name}")
    return found


def real_repository(name: str) -> type:
    """The class the SQLAlchemy unit of work hands out as `uow.<name>`."""
    return typing.get_type_hints(getattr(SqlAlchemyUnitOfWork, name).fget)["return"]
