"""Chains (产业链): create and revise; reading one chain."""

from __future__ import annotations

from typing import Any

from domain.chains.chains import Chain
from domain.chains.handlers.common import get_chain, writable_chain
from domain.chains.ports import ChainsUnitOfWork
from domain.shared.errors import Duplicate, InvalidValue

__all__ = ["create_chain", "get_chain", "update_chain", "writable_chain"]

FIELDS = ("name", "code", "group", "description", "leader_enterprise_id")


async def create_chain(data: dict[str, Any], *, uow: ChainsUnitOfWork) -> Chain:
    """Add a chain; names and codes are unique, the leading enterprise (链主) must be registered."""
    chain = Chain(**{key: data.get(key) for key in FIELDS if key in data})
    await _check_leader(chain.leader_enterprise_id, uow=uow)
    await _check_unique(chain, uow=uow)
    uow.chains.add(chain)
    await uow.commit()
    return chain


async def update_chain(chain: Chain, changes: dict[str, Any], *, uow: ChainsUnitOfWork) -> Chain:
    """Change the fields given; the caller got the chain from `writable_chain` (permission checked)."""
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
