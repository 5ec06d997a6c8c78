"""The ledger handlers' ports: the repositories a ledger reaches keep LedgerUnitOfWork's ports, and the ring's
stand-ins for them (tests/unit/handlers/integration/ledgers.py) keep what the ledger handlers call. The
other units of work are held to their ports in tests/unit/handlers/test_ports.py."""

from __future__ import annotations

import pytest

from domain.integration import ports
from domain.integration.ports import LedgerUnitOfWork
from tests.unit.handlers.integration.ledgers import ledger_unit
from tests.unit.handlers.ports import misfits, real_repository, repository_ports

LEDGER = {
    name: port
    for name, port in repository_ports(LedgerUnitOfWork).items()
    if port.__module__ == ports.__name__
}


def test_the_port_names_the_repositories_a_ledger_reaches():
    assert sorted(LEDGER) == [
        "indicators",
        "observations",
        "plans",
        "progress_reports",
        "registry",
        "task_transitions",
        "tasks",
    ]


@pytest.mark.parametrize("name", sorted(LEDGER))
def test_the_repositories_a_ledger_reaches_keep_its_port(name):
    assert not misfits(real_repository(name), LEDGER[name])
    # The stand-ins: what the ledger handlers call (the rest of the registry is cultivation's own).
    own = set(vars(LEDGER[name])) if name == "registry" else None
    assert not misfits(type(getattr(ledger_unit(), name)), LEDGER[name], only=own)
