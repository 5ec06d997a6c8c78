"""The authorization policy on its own: roles, scopes, resource facts, the forced password change."""

from __future__ import annotations

import pytest

from domain.identity.policy import Action, Principal, ResourceFacts, authorize, permits
from domain.shared.errors import Forbidden


def user(*roles: str, department: str | None = None, must_change: bool = False) -> Principal:
    return Principal(
        kind="user",
        id="u1",
        name="u1",
        roles=frozenset(roles),
        department_id=department,
        must_change_password=must_change,
    )


def client(*scopes: str) -> Principal:
    return Principal(kind="client", id="c1", name="gx_c1", scopes=frozenset(scopes))


def test_department_runs_and_reports_only_on_tasks_it_leads():
    staff = user("department", department="d1")
    assert permits(staff, Action.TASK_REPORT, ResourceFacts(lead_department_id="d1"))
    assert not permits(staff, Action.TASK_REPORT, ResourceFacts(lead_department_id="d2"))
    assert not permits(staff, Action.TASK_REPORT, ResourceFacts(lead_department_id=None))
    assert permits(staff, Action.TASK_RUN, ResourceFacts(lead_department_id="d1"))
    assert not permits(staff, Action.TASK_SUPERVISE)


def test_planner_runs_every_task_but_files_no_report():
    planner = user("planner")
    assert permits(planner, Action.TASK_RUN, ResourceFacts(lead_department_id="anyone"))
    assert not permits(planner, Action.TASK_REPORT, ResourceFacts(lead_department_id="anyone"))
    assert permits(planner, Action.TASK_SUPERVISE)


def test_chain_chief_writes_only_the_chain_of_the_active_assignment():
    chief = user("chain_chief")
    assert permits(chief, Action.CHAIN_WRITE, ResourceFacts(chain_chief_user_id="u1"))
    assert not permits(chief, Action.CHAIN_WRITE, ResourceFacts(chain_chief_user_id="u2"))
    assert not permits(chief, Action.CHAIN_WRITE, ResourceFacts(chain_chief_user_id=None))
    assert not permits(chief, Action.CHIEF_ASSIGN)
    general = user("general_chief")
    assert permits(general, Action.CHAIN_WRITE, ResourceFacts(chain_chief_user_id="u2"))
    assert permits(general, Action.CHIEF_ASSIGN) and not permits(general, Action.GENERAL_CHIEF_ASSIGN)


def test_auditor_reads_the_audit_log_and_nothing_else():
    auditor = user("auditor")
    assert permits(auditor, Action.AUDIT_READ)
    assert [a for a in Action if permits(auditor, a)] == [Action.OWN_ACCOUNT, Action.AUDIT_READ]


@pytest.mark.parametrize(
    "role, sensitive",
    [
        ("admin", True),
        ("officer", True),
        ("planner", True),
        ("viewer", False),
        ("department", False),
        ("chain_chief", False),
    ],
)
def test_sensitive_figures(role, sensitive):
    assert user(role).reads_sensitive is sensitive


def test_client_scopes():
    assert client("read").reads_sensitive is False
    assert client("read:sensitive").reads_sensitive is True
    assert permits(client("write:planning"), Action.TASK_REPORT, ResourceFacts(lead_department_id="any"))
    assert not permits(client("write:planning"), Action.READ)
    assert permits(client("write:chains"), Action.CHAIN_WRITE, ResourceFacts(chain_chief_user_id=None))
    assert not permits(client("admin"), Action.OWN_ACCOUNT)
    assert permits(client("admin"), Action.USER_MANAGE)


def test_a_temporary_password_allows_only_the_own_account():
    admin = user("admin", must_change=True)
    assert permits(admin, Action.OWN_ACCOUNT)
    assert not permits(admin, Action.READ)
    with pytest.raises(Forbidden, match="changed first"):
        authorize(admin, Action.READ)


def test_no_role_no_right():
    nobody = user()
    assert [a for a in Action if permits(nobody, a)] == []
    with pytest.raises(Forbidden):
        authorize(nobody, Action.READ)
