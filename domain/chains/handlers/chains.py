"""Chains (产业链): listing, create and revise; reading one chain."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.chains.chains import Chain
from domain.chains.handlers.common import get_chain, writable_chain
from domain.chains.ports import ChainsUnitOfWork
from domain.identity.policy import Principal
from domain.shared.errors import Duplicate, InvalidValue
from domain.shared.uow import Expectation, no_expectation

__all__ = ["create_chain", "get_chain", "list_chains", "update_chain"]

FIELDS = ("name", "code", "group", "description", "leader_enterprise_id")


async def list_chains(
    group: str | None, *, after: str | None, limit: int, uow: ChainsUnitOfWork
) -> list[Chain]:
    """A keyset page of the chains (of one group when given), in creation order: limit + 1 of them."""
    return await uow.chains.list_page(group=group, after=after, limit=limit)


async def create_chain(data: dict[str, Any], *, uow: ChainsUnitOfWork) -> Chain:
    """Add a chain; names and codes are unique, the leading enterprise (链主) must be registered."""
    chain = Chain(**{key: data.get(key) for key in FIELDS if key in data})
    await _check_leader(chain.leader_enterprise_id, uow=uow)
    await _check_unique(chain, uow=uow)
    uow.chains.add(chain)
    await uow.commit()
    return chain


async def update_chain(
    chain_id: str,
    changes: dict[str, Any],
    *,
    principal: Principal,
    uow: ChainsUnitOfWork,
    today: date,
    expect: Expectation = no_expectation,
) -> Chain:
    """Change the fields given, once the principal may write the chain and it is the version expected."""
    chain = await writable_chain(chain_id, principal=principal, uow=uow, today=today)
    expect(chain)
    chain.revise(**{key: changes[key] for key in FIELDS if key in changes})
    if "leader_enterprise_id" in changes:
        await _check_leader(chain.leader_enterprise_id, uow=uow)
    await _check_unique(chain, uow=uow)
    await uow.commit()
    return chain


async def _check_leader(enterprise_id: str | None, *, uow: ChainsUnitOfWork) -> None:
    if enterprise_id is not None and not await uow.enterprise_facts.exists(enterprise_id):
        raise InvalidValue(
            f"no enterprise {enterprise_id}", f"企业 {enterprise_id} 不存在", field="leader_enterprise_id"
        )


async def _check_unique(chain: Chain, *, uow: ChainsUnitOfWork) -> None:
    for other in await uow.chains.with_name_or_code(chain.name, chain.code):
        if other.id != chain.id:
            raise Duplicate("a chain with that name or code exists", "同名或同编码的产业链已存在")
