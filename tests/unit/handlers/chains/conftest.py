"""The chain handler ring: a FakeUnitOfWork, people in the chain roles, and what a test starts from.

What a test is given is put straight into the fake repositories (as rows already in the database): it is
not published, and only what the handler under test does counts in `uow.commits` and `uow.published`.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from domain.chains.nodes import Node, NodeLink
from domain.chains.targets import Target
from domain.cultivation.enterprises import Enterprise
from domain.identity.accounts import User
from domain.identity.policy import Principal
from tests.unit.fakes import FakeUnitOfWork

TODAY = date(2024, 6, 3)

ADMIN = Principal(kind="user", id="u-root", name="root", roles=frozenset({"admin"}))
GENERAL_CHIEF = Principal(kind="user", id="u-zong", name="zong", roles=frozenset({"general_chief"}))
LI = Principal(kind="user", id="u-li", name="li", roles=frozenset({"chain_chief"}))
WANG = Principal(kind="user", id="u-wang", name="wang", roles=frozenset({"chain_chief"}))
VIEWER = Principal(kind="user", id="u-viewer", name="viewer", roles=frozenset({"viewer"}))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(actor="root")


def given_chain(uow: FakeUnitOfWork, name: str = "储能电池", **fields) -> Chain:
    chain = Chain(name=name, **fields)
    uow.chains.items[chain.id] = chain
    return chain


def given_node(
    uow: FakeUnitOfWork, chain: Chain, name: str, stage: str = "midstream", parent: Node | None = None
) -> Node:
    node = Node.create(chain_id=chain.id, name=name, stage=stage, parent=parent)
    uow.chain_nodes.items[node.id] = node
    return node


def given_enterprise(uow: FakeUnitOfWork, name: str, **details) -> Enterprise:
    """An enterprise of the registry (registered before: its own event is no concern of the test)."""
    enterprise = Enterprise(name=name, **details)
    uow.enterprises.items[enterprise.id] = enterprise
    return enterprise


def given_link(uow: FakeUnitOfWork, node: Node, enterprise: Enterprise, role: str = "leader") -> NodeLink:
    link = NodeLink(node_id=node.id, enterprise_id=enterprise.id, role=role)
    uow.node_links.items[link.id] = link
    return link


def given_target(
    uow: FakeUnitOfWork, chain: Chain, company: str = "比亚迪", node: Node | None = None, on: date = TODAY
) -> Target:
    target = Target.create(chain_id=chain.id, company_name=company, on=on, node=node)
    target.pull_events()  # opened before the test
    uow.targets.items[target.id] = target
    return target


def given_chief(
    uow: FakeUnitOfWork, chain: Chain | None, who: Principal, since: date, until: date | None = None
) -> ChiefAssignment:
    """An assignment of the chain's chief (the general chief's for None)."""
    chain_id = chain.id if chain is not None else None
    assignment = ChiefAssignment(chain_id=chain_id, user_id=who.id, since=since, until=until)
    uow.chief_assignments.items[assignment.id] = assignment
    return assignment


def given_user(uow: FakeUnitOfWork, who: Principal, *, active: bool = True) -> User:
    user = User(username=who.name, password_hash="x", roles=list(who.roles), active=active, id=who.id)
    uow.users.items[user.id] = user
    return user
