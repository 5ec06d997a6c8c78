"""The sample data set (`gaoxin sample`): people, departments and activity to try the system with.

Everything here is labelled: departments end in （示例）, users are named `sample.<role>`, reports,
targets and indicator figures say 示例. It sits on top of the plan's seed, is never loaded by `gaoxin
seed`, and is refused in production (services/cli.py). A second run finds the sample departments and
writes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.identity.policy import Principal
from infrastructure.sample import activity, figures, people
from infrastructure.unit_of_work import BatchUnitOfWork

ACTOR = "sample"
# The loader acts as an administrator would through the API; the audit log names it `sample`.
SAMPLE_PRINCIPAL = Principal(kind="user", id="sample", name=ACTOR, roles=frozenset({"admin"}))


@dataclass
class SampleLoaded:
    """What `gaoxin sample` prints: the accounts made (each password shown this once) and the counts."""

    passwords: dict[str, str] = field(default_factory=dict)  # username -> password
    roles: dict[str, str] = field(default_factory=dict)  # username -> role
    user_ids: dict[str, str] = field(default_factory=dict)  # username -> id
    counts: dict[str, int] = field(default_factory=dict)


def new_password() -> str:
    """A password the policy accepts: letters of both cases, digits and a symbol, never the username."""
    return f"Gx-{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}a"


async def load_sample(
    factory: async_sessionmaker, *, hasher, today: date, now: datetime
) -> SampleLoaded | None:
    """Load the sample on top of the seeded plan, all or nothing; None when it is there already."""
    async with BatchUnitOfWork(factory, actor=ACTOR) as uow:
        if await people.already_loaded(uow):
            return None
        loaded = SampleLoaded()
        departments = await people.departments(uow, loaded)
        await people.users(uow, loaded, departments, hasher=hasher, now=now, password=new_password)
        await people.leads(uow, loaded, departments)
        await activity.progress_reports(
            uow, loaded, department_id=departments["SAMPLE-KCJ"], today=today, now=now
        )
        await activity.registry(uow, loaded, today=today)
        await activity.chains(uow, loaded, principal=SAMPLE_PRINCIPAL, today=today)
        await figures.indicator_figures(uow, loaded)
        await uow.commit_all()
    return loaded
