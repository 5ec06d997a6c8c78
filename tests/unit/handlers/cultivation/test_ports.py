"""The ports are kept: the database repositories and the fakes offer every method the handlers call, under
the unit of work's attribute names, with the parameters the ports declare."""

from __future__ import annotations

import inspect

import pytest

from domain.cultivation import ports
from domain.identity.ports import UserRepositoryPort
from infrastructure.repositories import cultivation as real
from infrastructure.repositories.identity import UserRepository
from infrastructure.stored_tiers import StoredTierReader
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.fakes import FakeUnitOfWork

PORTS = {
    "enterprises": (ports.EnterpriseRepositoryPort, real.EnterpriseRepository),
    "certifications": (ports.CertificationRepositoryPort, real.CertificationRepository),
    "annual_metrics": (ports.AnnualMetricsRepositoryPort, real.AnnualMetricsRepository),
    "pool_memberships": (ports.PoolMembershipRepositoryPort, real.PoolMembershipRepository),
    "registry": (ports.RegistryReaderPort, real.RegistryReader),
    "stored_tiers": (ports.StoredTiersPort, StoredTierReader),
    "users": (UserRepositoryPort, UserRepository),
}


def methods(protocol: type) -> dict[str, inspect.Signature]:
    """The methods a port declares, its own and those of the ports it extends."""
    found = {}
    for klass in reversed(protocol.__mro__):
        if klass is object or not getattr(klass, "_is_protocol", False):
            continue
        for name, member in vars(klass).items():
            if inspect.isfunction(member) and not name.startswith("_"):
                found[name] = inspect.signature(member)
    return found


def parameters(signature: inspect.Signature) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in signature.parameters.values()]


def test_the_unit_of_work_port_names_every_repository_the_real_one_hands_out():
    declared = set(inspect.get_annotations(ports.CultivationUnitOfWork))
    assert declared == set(PORTS)
    assert all(isinstance(getattr(SqlAlchemyUnitOfWork, name), property) for name in declared)


@pytest.mark.parametrize("attribute", sorted(PORTS))
def test_the_real_repository_offers_what_the_port_declares(attribute):
    port, implementation = PORTS[attribute]
    assert methods(port), attribute
    for name, declared in methods(port).items():
        offered = inspect.signature(getattr(implementation, name))
        # The implementation may take more (keyword-only, with defaults) than the handlers use.
        extra = [p for p in offered.parameters.values() if p.name not in declared.parameters]
        assert all(p.default is not inspect.Parameter.empty for p in extra), (attribute, name)
        kept = [(n, k) for n, k in parameters(offered) if n in declared.parameters]
        assert kept == parameters(declared), (attribute, name)


@pytest.mark.parametrize("attribute", sorted(PORTS))
def test_the_fake_offers_what_the_port_declares(attribute):
    port, _ = PORTS[attribute]
    fake = getattr(FakeUnitOfWork(), attribute)
    for name, declared in methods(port).items():
        offered = inspect.signature(getattr(type(fake), name))
        assert parameters(offered) == parameters(declared), (attribute, name)
        assert inspect.iscoroutinefunction(getattr(type(fake), name)) == inspect.iscoroutinefunction(
            getattr(port, name)
        ) or inspect.isasyncgenfunction(getattr(type(fake), name)), (attribute, name)
