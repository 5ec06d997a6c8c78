"""domain/chains/handlers/nodes.py without a database: the tree, enterprise links and the gap events."""

from __future__ import annotations

import pytest

from domain.chains.handlers import nodes
from domain.cultivation.enterprises import EnterpriseStatus
from domain.shared.errors import Duplicate, Forbidden, InvalidValue, NotDeletable, NotFound
from tests.unit.handlers.chains.conftest import (
    ADMIN,
    LI,
    TODAY,
    VIEWER,
    given_chain,
    given_chief,
    given_enterprise,
    given_link,
    given_node,
    given_target,
)


class Refused(Exception):
    """What a test's expectation raises: the If-Match did not match."""


def refuse(_current):
    raise Refused


def gaps(uow) -> list[tuple[str, str, bool | None]]:
    """The gap events published: ("opened"/"closed", node id, node_removed)."""
    return [
        (e.type.rsplit("_", 1)[1], e.data["node_id"], e.data.get("node_removed"))
        for e in uow.published
        if e.type in ("chain.node_gap_opened", "chain.node_gap_closed")
    ]


async def test_a_first_node_is_a_gap_and_a_child_takes_the_gap_from_its_parent(uow):
    chain = given_chain(uow)
    root = await nodes.create_node(
        chain.id, {"name": "锂离子电池", "stage": "midstream"}, principal=ADMIN, uow=uow, today=TODAY
    )
    assert (root.chain_id, root.parent_id, root.stage) == (chain.id, None, "midstream")
    child = await nodes.create_node(
        chain.id,
        {"name": "电芯", "stage": "midstream", "parent_id": root.id},
        principal=ADMIN,
        uow=uow,
        today=TODAY,
    )
    assert child.parent_id == root.id and set(uow.chain_nodes.items) == {root.id, child.id}
    assert uow.commits == 2
    assert gaps(uow) == [("opened", root.id, None), ("opened", child.id, None), ("closed", root.id, False)]
    assert {e.subject_id for e in uow.published} == {chain.id}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "隔膜", "stage": "upstream", "parent_id": "nope"}, "parent_id"),
        ({"name": "隔膜", "stage": "sideways"}, "stage"),
        ({"name": "", "stage": "upstream"}, "name"),
    ],
    ids=["unknown-parent", "unknown-stage", "no-name"],
)
async def test_an_invalid_node_is_not_written(uow, data, field):
    chain = given_chain(uow)
    with pytest.raises(InvalidValue) as refused:
        await nodes.create_node(chain.id, data, principal=ADMIN, uow=uow, today=TODAY)
    assert refused.value.field == field
    assert uow.chain_nodes.items == {} and uow.commits == 0


async def test_a_parent_of_another_chain_is_refused(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    foreign = given_node(uow, other, "制备", "upstream")
    with pytest.raises(InvalidValue) as refused:
        await nodes.create_node(
            chain.id,
            {"name": "隔膜", "stage": "upstream", "parent_id": foreign.id},
            principal=ADMIN,
            uow=uow,
            today=TODAY,
        )
    assert refused.value.field == "parent_id" and list(uow.chain_nodes.items) == [foreign.id]
    assert uow.commits == 0


async def test_only_who_may_write_the_chain_adds_nodes(uow):
    mine, theirs = given_chain(uow), given_chain(uow, "氢能源应用")
    given_chief(uow, mine, LI, TODAY)
    body = {"name": "隔膜", "stage": "upstream"}
    await nodes.create_node(mine.id, body, principal=LI, uow=uow, today=TODAY)
    for principal, chain_id, refusal in (
        (LI, theirs.id, Forbidden),
        (VIEWER, mine.id, Forbidden),
        (ADMIN, "nope", NotFound),
    ):
        with pytest.raises(refusal):
            await nodes.create_node(chain_id, body, principal=principal, uow=uow, today=TODAY)
    assert uow.commits == 1 and len(uow.chain_nodes.items) == 1


async def test_a_node_is_found_under_its_own_chain_only(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    node = given_node(uow, chain, "锂离子电池")
    assert await nodes.get_node(chain.id, node.id, uow=uow) is node
    for chain_id, node_id in ((other.id, node.id), (chain.id, "nope"), ("nope", node.id)):
        with pytest.raises(NotFound):
            await nodes.get_node(chain_id, node_id, uow=uow)


async def test_moving_a_node_moves_the_gaps(uow):
    chain = given_chain(uow)
    root = given_node(uow, chain, "正负极材料", "upstream")
    anode = given_node(uow, chain, "负极材料", "upstream", parent=root)
    seen = []
    moved = await nodes.update_node(
        chain.id,
        anode.id,
        {"parent_id": None, "stage": "midstream", "name": "负极"},
        principal=ADMIN,
        uow=uow,
        today=TODAY,
        expect=seen.append,
    )
    assert seen == [anode] and moved is anode
    assert (anode.parent_id, anode.stage, anode.name) == (None, "midstream", "负极")
    assert uow.commits == 1 and gaps(uow) == [("opened", root.id, None)]  # the parent is a leaf again


async def test_a_cycle_another_chains_parent_or_an_unexpected_version_changes_nothing(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    root = given_node(uow, chain, "正负极材料", "upstream")
    child = given_node(uow, chain, "负极材料", "upstream", parent=root)
    foreign = given_node(uow, other, "制备", "upstream")
    for parent in (child.id, root.id, foreign.id):
        with pytest.raises(InvalidValue):
            await nodes.update_node(
                chain.id, root.id, {"parent_id": parent}, principal=ADMIN, uow=uow, today=TODAY
            )
    with pytest.raises(Refused):
        await nodes.update_node(
            chain.id, root.id, {"name": "X"}, principal=ADMIN, uow=uow, today=TODAY, expect=refuse
        )
    with pytest.raises(Forbidden):
        await nodes.update_node(
            chain.id, root.id, {"name": "X"}, principal=LI, uow=uow, today=TODAY, expect=refuse
        )
    assert (root.parent_id, root.name) == (None, "正负极材料") and uow.commits == 0


async def test_a_node_with_children_links_or_targets_is_not_deletable(uow):
    chain = given_chain(uow)
    parent = given_node(uow, chain, "锂离子电池")
    child = given_node(uow, chain, "电芯", parent=parent)
    courted = given_node(uow, chain, "钠离子电池")
    given_link(uow, child, given_enterprise(uow, "九夷锂能"))
    given_target(uow, chain, "星空能源钠电池产业园", node=courted)
    for node in (parent, child, courted):
        with pytest.raises(NotDeletable):
            await nodes.delete_node(chain.id, node.id, principal=ADMIN, uow=uow, today=TODAY)
    assert len(uow.chain_nodes.items) == 3 and uow.commits == 0


async def test_deleting_a_leaf_closes_its_gap_as_removed_and_reopens_its_parents(uow):
    chain = given_chain(uow)
    root = given_node(uow, chain, "锂离子电池")
    child = given_node(uow, chain, "电芯", parent=root)
    seen = []
    await nodes.delete_node(chain.id, child.id, principal=ADMIN, uow=uow, today=TODAY, expect=seen.append)
    assert seen == [child] and list(uow.chain_nodes.items) == [root.id] and uow.commits == 1
    assert gaps(uow) == [("opened", root.id, None), ("closed", child.id, True)]


async def test_delete_checks_the_expected_version_before_deleting(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "锂离子电池")
    with pytest.raises(Refused):
        await nodes.delete_node(chain.id, node.id, principal=ADMIN, uow=uow, today=TODAY, expect=refuse)
    assert list(uow.chain_nodes.items) == [node.id] and uow.commits == 0


async def test_linking_an_active_enterprise_closes_the_gap_and_unlinking_opens_it(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "锂离子电池")
    jiuyi = given_enterprise(uow, "九夷锂能")
    link = await nodes.link(
        chain.id,
        node.id,
        {"enterprise_id": jiuyi.id, "role": "leader"},
        principal=ADMIN,
        uow=uow,
        today=TODAY,
    )
    assert (link.node_id, link.enterprise_id, link.role) == (node.id, jiuyi.id, "leader")
    assert list(uow.node_links.items.values()) == [link]
    await nodes.unlink(chain.id, node.id, jiuyi.id, principal=ADMIN, uow=uow, today=TODAY)
    assert uow.node_links.items == {} and uow.commits == 2
    assert gaps(uow) == [("closed", node.id, False), ("opened", node.id, None)]


async def test_an_enterprise_that_moved_out_is_linked_but_covers_nothing(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "钠离子电池")
    gone = given_enterprise(uow, "星空钠电", status=EnterpriseStatus.MOVED_OUT)
    await nodes.link(
        chain.id, node.id, {"enterprise_id": gone.id, "role": "leader"}, principal=ADMIN, uow=uow, today=TODAY
    )
    assert len(uow.node_links.items) == 1 and uow.commits == 1 and gaps(uow) == []


async def test_link_refusals(uow):
    chain = given_chain(uow)
    node = given_node(uow, chain, "锂离子电池")
    jiuyi = given_enterprise(uow, "九夷锂能")
    existing = given_link(uow, node, jiuyi, "leader")
    with pytest.raises(Duplicate):  # twice, whatever the role
        await nodes.link(
            chain.id,
            node.id,
            {"enterprise_id": jiuyi.id, "role": "supporting"},
            principal=ADMIN,
            uow=uow,
            today=TODAY,
        )
    with pytest.raises(InvalidValue) as unknown:
        await nodes.link(
            chain.id,
            node.id,
            {"enterprise_id": "nope", "role": "leader"},
            principal=ADMIN,
            uow=uow,
            today=TODAY,
        )
    assert unknown.value.field == "enterprise_id"
    other = given_enterprise(uow, "配套电池厂")
    with pytest.raises(InvalidValue):
        await nodes.link(
            chain.id,
            node.id,
            {"enterprise_id": other.id, "role": "partner"},
            principal=ADMIN,
            uow=uow,
            today=TODAY,
        )
    with pytest.raises(NotFound):
        await nodes.unlink(chain.id, node.id, "nope", principal=ADMIN, uow=uow, today=TODAY)
    with pytest.raises(Forbidden):
        await nodes.unlink(chain.id, node.id, jiuyi.id, principal=LI, uow=uow, today=TODAY)
    assert list(uow.node_links.items.values()) == [existing] and uow.commits == 0


async def test_the_list_is_a_keyset_page_of_the_chains_nodes(uow):
    chain, other = given_chain(uow), given_chain(uow, "氢能源应用")
    mine = sorted(
        (given_node(uow, chain, name) for name in ("正负极材料", "负极材料", "电芯")), key=lambda n: n.id
    )
    given_node(uow, other, "制备")
    assert await nodes.list_nodes(chain.id, after=None, limit=5, uow=uow) == mine
    assert await nodes.list_nodes(chain.id, after=mine[0].id, limit=1, uow=uow) == mine[1:]
    with pytest.raises(NotFound):
        await nodes.list_nodes("nope", after=None, limit=5, uow=uow)
