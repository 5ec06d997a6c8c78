"""Authorization as domain policy (权限策略): (who, action, resource facts) → allow or deny.

Every route declares one Action; the API asks `permits` before the handler runs and, where the
answer depends on the resource (the task's lead department, the chain's active chief), the handler
asks `authorize` again with the facts it loaded. Deny by default: an action no rule names is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from domain.identity.roles import Role, Scope
from domain.shared.errors import Forbidden


class Action(StrEnum):
    """What a route does, in the words of DOMAIN.md's "Who may do what"."""

    READ = "read"  # plans, departments, tasks, indicators, enterprises, chains, stats, feed
    READ_SENSITIVE = "read_sensitive"  # enterprise figures and what is computed from them
    OWN_ACCOUNT = "own_account"  # /me, /me/password
    DEPARTMENT_WRITE = "department.write"
    USER_MANAGE = "user.manage"  # read and write users
    CLIENT_MANAGE = "client.manage"
    WEBHOOK_MANAGE = "webhook.manage"
    AUDIT_READ = "audit.read"
    PLAN_WRITE = "plan.write"  # plans, tasks, indicators, observations
    TASK_SUPERVISE = "task.supervise"  # cancel, reopen, urge, return reports, decide extensions
    TASK_RUN = "task.run"  # start, suspend, resume, complete — lead department or planner
    TASK_REPORT = "task.report"  # progress reports, extension requests — lead department only
    ATTACHMENT_UPLOAD = "attachment.upload"
    CULTIVATION_WRITE = "cultivation.write"  # enterprises, metrics, certifications, pools, screenings
    CHAIN_CREATE = "chain.create"
    CHAIN_WRITE = "chain.write"  # nodes, links, targets of one chain — its active chief
    CHIEF_ASSIGN = "chief.assign"
    GENERAL_CHIEF_ASSIGN = "general_chief.assign"


A = Action
EVERY_ROLE_BUT_AUDITOR = {r for r in Role if r is not Role.AUDITOR}

# Role → actions it may attempt. Fact-bound actions (TASK_RUN, TASK_REPORT, CHAIN_WRITE) are checked
# again against the resource; admin may do everything but never alters the audit log (no action does).
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.PLANNER: frozenset(
        {A.READ, A.READ_SENSITIVE, A.OWN_ACCOUNT, A.DEPARTMENT_WRITE, A.PLAN_WRITE, A.TASK_SUPERVISE}
        | {A.TASK_RUN, A.ATTACHMENT_UPLOAD}
    ),
    Role.DEPARTMENT: frozenset({A.READ, A.OWN_ACCOUNT, A.TASK_RUN, A.TASK_REPORT, A.ATTACHMENT_UPLOAD}),
    Role.CHAIN_CHIEF: frozenset({A.READ, A.OWN_ACCOUNT, A.CHAIN_WRITE}),
    Role.GENERAL_CHIEF: frozenset({A.READ, A.OWN_ACCOUNT, A.CHAIN_WRITE, A.CHAIN_CREATE, A.CHIEF_ASSIGN}),
    Role.OFFICER: frozenset({A.READ, A.READ_SENSITIVE, A.OWN_ACCOUNT, A.CULTIVATION_WRITE}),
    Role.AUDITOR: frozenset({A.OWN_ACCOUNT, A.AUDIT_READ}),
    Role.VIEWER: frozenset({A.READ, A.OWN_ACCOUNT}),
}

SCOPE_ACTIONS: dict[Scope, frozenset[Action]] = {
    Scope.READ: frozenset({A.READ}),
    Scope.READ_SENSITIVE: frozenset({A.READ, A.READ_SENSITIVE}),
    Scope.WRITE_PLANNING: frozenset(
        {A.PLAN_WRITE, A.TASK_SUPERVISE, A.TASK_RUN, A.TASK_REPORT, A.ATTACHMENT_UPLOAD}
    ),
    Scope.WRITE_CULTIVATION: frozenset({A.CULTIVATION_WRITE}),
    Scope.WRITE_CHAINS: frozenset({A.CHAIN_CREATE, A.CHAIN_WRITE}),
    Scope.ADMIN: frozenset(Action) - {A.OWN_ACCOUNT},
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user with roles and a department, or a client with scopes."""

    kind: str  # "user" or "client"
    id: str
    name: str  # username or client_id, as the audit log shows it
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    department_id: str | None = None
    must_change_password: bool = False
    session_id: str | None = field(default=None, compare=False)

    def actions(self) -> frozenset[Action]:
        return actions_of(frozenset(self.roles), frozenset(self.scopes))  # hashable, whatever was given

    @property
    def reads_sensitive(self) -> bool:
        return A.READ_SENSITIVE in self.actions()


@lru_cache(maxsize=256)  # a handful of role and scope sets; every request asks for its caller's
def actions_of(roles: frozenset[str], scopes: frozenset[str]) -> frozenset[Action]:
    """What these roles and scopes allow together."""
    granted: set[Action] = set()
    for role in roles:
        granted |= ROLE_ACTIONS.get(Role(role), frozenset())
    for scope in scopes:
        granted |= SCOPE_ACTIONS.get(Scope(scope), frozenset())
    return frozenset(granted)


@dataclass(frozen=True)
class ResourceFacts:
    """What the rule needs to know of the resource: who leads the task, who is the chain's chief now."""

    lead_department_id: str | None = None
    chain_chief_user_id: str | None = None


# Who is free of the resource facts for a fact-bound action (they act on every task / chain).
UNBOUND_ROLES: dict[Action, frozenset[Role]] = {
    A.TASK_RUN: frozenset({Role.ADMIN, Role.PLANNER}),
    A.TASK_REPORT: frozenset({Role.ADMIN}),
    A.CHAIN_WRITE: frozenset({Role.ADMIN, Role.GENERAL_CHIEF}),
}
UNBOUND_SCOPES: dict[Action, frozenset[Scope]] = {
    A.TASK_RUN: frozenset({Scope.WRITE_PLANNING, Scope.ADMIN}),
    A.TASK_REPORT: frozenset({Scope.WRITE_PLANNING, Scope.ADMIN}),
    A.CHAIN_WRITE: frozenset({Scope.WRITE_CHAINS, Scope.ADMIN}),
}


def permits(principal: Principal, action: Action, facts: ResourceFacts | None = None) -> bool:
    """Decide; without facts, a fact-bound action is allowed to anyone who could hold it on some resource."""
    if principal.must_change_password and action is not A.OWN_ACCOUNT:
        return False
    if action not in principal.actions():
        return False
    if facts is None or action not in UNBOUND_ROLES:
        return True
    if principal.roles & UNBOUND_ROLES[action] or principal.scopes & UNBOUND_SCOPES[action]:
        return True
    if action in (A.TASK_RUN, A.TASK_REPORT):
        return (
            Role.DEPARTMENT in principal.roles
            and principal.department_id is not None
            and principal.department_id == facts.lead_department_id
        )
    return Role.CHAIN_CHIEF in principal.roles and facts.chain_chief_user_id == principal.id


def authorize(principal: Principal, action: Action, facts: ResourceFacts | None = None) -> None:
    """Raise Forbidden unless `permits`."""
    if principal.must_change_password and action is not A.OWN_ACCOUNT:
        raise Forbidden(
            "the temporary password must be changed first (POST /api/v1/me/password)",
            "请先修改临时口令(POST /api/v1/me/password)",
        )
    if not permits(principal, action, facts):
        raise Forbidden(f"not allowed to {action.value}", f"无权执行此操作({action.value})")
