"""Seed loader of the chains context: the plan's chains, node trees, links and targets (data/chains.yaml).

Idempotent: chains are matched by code, nodes by (chain, name), links by (node, enterprise) and targets
by (chain, company_name); what exists is left as it is. No chiefs are seeded (DOMAIN.md §3).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.chains.chains import Chain
from domain.chains.handlers.common import ChainState, load_state
from domain.chains.maps import EnterpriseFact
from domain.chains.nodes import Node, link_enterprise
from domain.chains.targets import Target
from infrastructure.seed import DATA
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

log = logging.getLogger("gaoxin.seed")

SEED_ACTOR = "seed"
# The targets the plan names entered the pipeline when the plan was issued: December 2021 (its 印发 month),
# so they are dated 2021-12-01 at stage `lead`.
PLAN_ISSUED = date(2021, 12, 1)


async def seed(session_factory: async_sessionmaker) -> int:
    """Add what is missing; return how many records were written (links to unregistered names are skipped)."""
    document = yaml.safe_load((DATA / "chains.yaml").read_text(encoding="utf-8"))
    written, skipped = 0, []
    for record in document["chains"]:
        async with SqlAlchemyUnitOfWork(session_factory, actor=SEED_ACTOR) as uow:
            loader = _ChainLoader(uow)
            await loader.load(record)
            if loader.written:
                await uow.commit()
            written += loader.written
            skipped.extend(loader.skipped)
    if skipped:
        # The registry is the cultivation seed's: a name it lacks is reported, never registered here.
        log.warning(
            "chains seed: %d enterprise links skipped, not in the registry: %s",
            len(skipped),
            ", ".join(sorted(set(skipped))),
        )
    return written


class _ChainLoader:
    """Loads one chain record into one unit of work, counting what it writes and what it skips."""

    def __init__(self, uow) -> None:
        self.uow = uow
        self.written = 0
        self.skipped: list[str] = []
        self.registry: dict[str, EnterpriseFact] = {}
        # Held until the commit: the chain carries its gap events, and the session holds clean objects weakly.
        self.state: ChainState | None = None

    async def load(self, record: dict[str, Any]) -> None:
        uow = self.uow
        names = _enterprise_names(record)
        self.registry = {f.name: f for f in await uow.enterprise_facts.by_names(names)}
        chain = await uow.chains.by_code(record["code"])
        if chain is None:
            leader = self._enterprise(record.get("leader_enterprise"))
            chain = Chain(
                name=record["name"],
                code=record["code"],
                group=record.get("group"),
                description=record.get("description"),
                leader_enterprise_id=leader.id if leader is not None else None,
            )
            uow.chains.add(chain)
            self.written += 1
            state = ChainState(chain, [], [], {})
        else:
            state = await load_state(chain, uow=uow)
        self.state = state
        before = state.gaps()
        by_name: dict[str, Node] = {}
        for node in state.nodes:
            by_name.setdefault(node.name, node)
        self._nodes(record.get("nodes") or [], None, state, by_name)
        await self._targets(record.get("targets") or [], chain, by_name)
        # The new leaves open gaps and the links close some: one event per node that ends up changed.
        state.record_gap_changes(before)

    def _nodes(
        self, records: list[dict[str, Any]], parent: Node | None, state: ChainState, by_name: dict[str, Node]
    ) -> None:
        for record in records:
            node = by_name.get(record["name"])
            if node is None:
                node = Node.create(
                    chain_id=state.chain.id, name=record["name"], stage=record["stage"], parent=parent
                )
                self.uow.chain_nodes.add(node)
                state.nodes.append(node)
                by_name[node.name] = node
                self.written += 1
            for entry in record.get("enterprises") or []:
                self._link(node, entry, state)
            self._nodes(record.get("children") or [], node, state, by_name)

    def _link(self, node: Node, entry: dict[str, Any], state: ChainState) -> None:
        fact = self._enterprise(entry["name"])
        if fact is None:
            return
        if any(link.node_id == node.id and link.enterprise_id == fact.id for link in state.links):
            return
        new = link_enterprise(state.links, node.id, fact.id, entry["role"])
        self.uow.node_links.add(new)
        state.add_link(new, fact)
        self.written += 1

    async def _targets(self, records: list[dict[str, Any]], chain: Chain, by_name: dict[str, Node]) -> None:
        existing = {t.company_name for t in await self.uow.targets.of_chains([chain.id])}
        for record in records:
            if record["company_name"] in existing:
                continue
            node_name = record.get("node")
            target = Target.create(
                chain_id=chain.id,
                company_name=record["company_name"],
                on=PLAN_ISSUED,
                node=by_name[node_name] if node_name else None,
                note=record.get("note"),
            )
            self.uow.targets.add(target)
            existing.add(target.company_name)
            self.written += 1

    def _enterprise(self, name: str | None) -> EnterpriseFact | None:
        if name is None:
            return None
        fact = self.registry.get(name)
        if fact is None:
            self.skipped.append(name)
        return fact


def _enterprise_names(record: dict[str, Any]) -> set[str]:
    names = {record["leader_enterprise"]} if record.get("leader_enterprise") else set()
    stack = list(record.get("nodes") or [])
    while stack:
        node = stack.pop()
        names.update(entry["name"] for entry in node.get("enterprises") or [])
        stack.extend(node.get("children") or [])
    return names
