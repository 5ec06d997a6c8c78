"""链长制: the chief of a chain and the general chief (总链长) — who is chief today, and assigning one."""

from __future__ import annotations

from datetime import date

from domain.chains.chiefs import ChiefAssignment, assign_chief
from domain.chains.handlers.common import chief_on, get_chain
from domain.chains.ports import ChainsUnitOfWork, ChiefsUnitOfWork
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.uow import Expectation, no_expectation


async def current_chief(chain_id: str, *, uow: ChainsUnitOfWork, today: date) -> ChiefAssignment:
    """The chain's chief today; NotFound when the chain has none (a seeded chain, say)."""
    chain = await get_chain(chain_id, uow=uow)
    chief = await chief_on(chain.id, uow=uow, today=today)
    if chief is None:
        raise NotFound("the chain has no chief", "该产业链暂无链长")
    return chief


async def chief_history(
    chain_id: str, *, after: str | None, limit: int, uow: ChainsUnitOfWork
) -> list[ChiefAssignment]:
    """A keyset page of the chain's assignments, oldest first: limit + 1 of them."""
    chain = await get_chain(chain_id, uow=uow)
    return await uow.chief_assignments.history_page(chain.id, after=after, limit=limit)


async def current_general_chief(*, uow: ChainsUnitOfWork, today: date) -> ChiefAssignment:
    """The general chief today; NotFound when nobody is named."""
    chief = await chief_on(None, uow=uow, today=today)
    if chief is None:
        raise NotFound("no general chief is named", "尚未任命总链长")
    return chief


async def assign_chain_chief(
    chain_id: str,
    user_id: str,
    since: date,
    *,
    uow: ChiefsUnitOfWork,
    assigned_by: str | None,
    today: date,
    expect: Expectation = no_expectation,
) -> ChiefAssignment:
    """任命链长: ends the current assignment on `since`; the user must be an active user.

    `expect` is called with the chief in office today (None when nobody is), as GET …/chief shows it.
    Two assignments racing for one chain both pass these checks at worst; the database's partial unique
    index (one open assignment a chain) then refuses the second at commit.
    """
    chain = await get_chain(chain_id, uow=uow)
    expect(await chief_on(chain.id, uow=uow, today=today))
    return await _assign(chain.id, user_id, since, uow=uow, assigned_by=assigned_by)


async def assign_general_chief(
    user_id: str,
    since: date,
    *,
    uow: ChiefsUnitOfWork,
    assigned_by: str | None,
    today: date,
    expect: Expectation = no_expectation,
) -> ChiefAssignment:
    """任命总链长: the same rules, for the assignments without a chain."""
    expect(await chief_on(None, uow=uow, today=today))
    return await _assign(None, user_id, since, uow=uow, assigned_by=assigned_by)


async def _assign(
    chain_id: str | None, user_id: str, since: date, *, uow: ChiefsUnitOfWork, assigned_by: str | None
) -> ChiefAssignment:
    user = await uow.users.get(user_id)
    if user is None or not user.active:
        raise InvalidValue(f"no active user {user_id}", f"用户 {user_id} 不存在或已停用", field="user_id")
    history = await uow.chief_assignments.history(chain_id)
    assignment = assign_chief(history, user_id, since, chain_id=chain_id, assigned_by=assigned_by)
    if assignment not in history:
        uow.chief_assignments.add(assignment)
        await uow.commit()
    return assignment
