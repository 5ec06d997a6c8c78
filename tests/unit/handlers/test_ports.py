"""Every context's unit-of-work port is kept by both units of work: under each name the port declares, the
SQLAlchemy unit of work and FakeUnitOfWork hand out a repository that keeps its port (tests/unit/handlers/
ports.py says what that means)."""

from __future__ import annotations

import pytest

from domain.chains.ports import ChiefsUnitOfWork, ProductionUnitOfWork
from domain.cultivation.ports import CultivationUnitOfWork
from domain.identity.ports import IdentityUnitOfWork
from domain.integration.evaluation_report import EvaluationReportUnitOfWork
from domain.integration.ports import IntegrationUnitOfWork, ParkUnitOfWork
from domain.integration.sweep import SweepUnitOfWork
from domain.planning.ports import PlanningUnitOfWork
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.handlers.ports import misfits, real_repository, repository_ports

UNITS = (
    IdentityUnitOfWork,
    PlanningUnitOfWork,
    CultivationUnitOfWork,
    ChiefsUnitOfWork,
    ProductionUnitOfWork,
    IntegrationUnitOfWork,
    SweepUnitOfWork,
    ParkUnitOfWork,
    EvaluationReportUnitOfWork,
)
REPOSITORIES = sorted(
    {(name, port) for unit in UNITS for name, port in repository_ports(unit).items()},
    key=lambda pair: (pair[0], pair[1].__qualname__),
)


def test_every_repository_of_the_real_unit_is_behind_a_port():
    named = {name for name, _ in REPOSITORIES}
    assert {"tasks", "enterprises", "chains", "users", "webhooks", "sweep_marks", "dashboard"} <= named
    assert len(named) >= 35


@pytest.mark.parametrize(("name", "port"), REPOSITORIES, ids=[f"{n}-{p.__name__}" for n, p in REPOSITORIES])
def test_both_units_of_work_hand_out_a_repository_that_keeps_the_port(name, port):
    fake = type(getattr(FakeUnitOfWork(), name))
    assert not misfits(real_repository(name), port) + misfits(fake, port)
