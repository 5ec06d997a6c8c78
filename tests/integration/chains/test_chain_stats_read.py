"""The chains' coverage and pipeline read in bulk from the database (one link a covered node, the targets'
entries as rows) give what the domain gives from the entities."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from domain.chains.chains import Chain
from domain.chains.gaps import compute_gaps
from domain.chains.handlers import views
from domain.chains.nodes import Node, NodeLink
from domain.chains.targets import PIPELINE, Target
from domain.chains.yardstick import entered_counts, pipeline_counts
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.shared.ids import new_id
from infrastructure.db.tables import chains as tables
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


def _two_chains() -> tuple[Chain, Chain, list[Node]]:
    """储能电池 with three nodes (锂离子电池, 隔膜, 钠离子电池) and 太阳能应用 with one (电池片)."""
    storage, solar = Chain(name="储能电池"), Chain(name="太阳能应用")
    nodes = [
        Node.create(chain_id=storage.id, name="锂离子电池", stage="midstream"),
        Node.create(chain_id=storage.id, name="隔膜", stage="upstream"),
        Node.create(chain_id=storage.id, name="钠离子电池", stage="midstream"),
        Node.create(chain_id=solar.id, name="电池片", stage="midstream"),
    ]
    return storage, solar, nodes


async def test_coverage_and_stages_entered_read_in_bulk_are_the_domains(app):
    factory = app.state.session_factory
    storage, solar, (lithium, separator, sodium, cells) = _two_chains()
    jiuyi, xingkong, bike = (
        Enterprise(name="九夷锂能"),
        Enterprise(name="星空钠电"),
        Enterprise(name="比克科技"),
    )
    xingkong.status = EnterpriseStatus.MOVED_OUT
    links = [
        NodeLink(node_id=lithium.id, enterprise_id=jiuyi.id, role="leader"),
        NodeLink(node_id=lithium.id, enterprise_id=bike.id, role="supporting"),  # two active: covered once
        NodeLink(node_id=sodium.id, enterprise_id=xingkong.id, role="leader"),  # moved out: covers nothing
        NodeLink(node_id=cells.id, enterprise_id=bike.id, role="leader"),
    ]
    first = Target.create(chain_id=storage.id, company_name="贝特瑞", on=date(2024, 1, 2))
    first.move_to("negotiating", date(2024, 3, 1))
    first.move_to("signed", date(2024, 9, 1))
    second = Target.create(chain_id=storage.id, company_name="比克科技", on=date(2024, 1, 2))
    second.move_to("under_construction", date(2025, 5, 1))
    async with SqlAlchemyUnitOfWork(factory, actor="test") as uow:
        for entity in (storage, solar, jiuyi, xingkong, bike):
            uow.session.add(entity)
        await uow.session.flush()
        for entity in (lithium, separator, sodium, cells, *links, first, second):
            uow.session.add(entity)
        await uow.commit()

    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        stats = {s.chain_id: s for s in await views.chain_stats([storage, solar], year=2024, uow=uow)}
    expected = compute_gaps([lithium, separator, sodium], links, {jiuyi.id, bike.id})
    assert (
        (stats[storage.id].coverage, stats[storage.id].gaps) == (expected.coverage, 2) == (round(1 / 3, 4), 2)
    )
    assert (stats[solar.id].coverage, stats[solar.id].gaps) == (1.0, 0)
    assert stats[storage.id].entered == entered_counts([first, second], chain_id=storage.id, year=2024)
    assert stats[storage.id].entered == {
        "lead": 2,
        "negotiating": 1,
        "signed": 1,
        "under_construction": 0,
        "in_production": 0,
        "dropped": 0,
    }


async def test_each_covered_node_gives_its_least_active_enterprise_and_no_other_node_appears(app):
    factory = app.state.session_factory
    storage, other, (lithium, separator, sodium, cells) = _two_chains()
    firms = sorted((Enterprise(name=f"企业{n}") for n in range(4)), key=lambda e: e.id)
    firms[0].status = EnterpriseStatus.MOVED_OUT  # the least id, but it covers nothing
    firms[3].status = EnterpriseStatus.MOVED_OUT
    links = [
        *(NodeLink(node_id=lithium.id, enterprise_id=firm.id, role="supporting") for firm in firms),
        NodeLink(node_id=sodium.id, enterprise_id=firms[3].id, role="leader"),  # only a moved-out one
        NodeLink(node_id=cells.id, enterprise_id=firms[1].id, role="leader"),  # a chain not asked for
    ]
    async with SqlAlchemyUnitOfWork(factory, actor="test") as uow:
        uow.session.add_all([storage, other, *firms])
        await uow.session.flush()
        uow.session.add_all([lithium, sodium, separator, cells, *links])
        await uow.commit()

    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        found = await uow.node_links.covering_links([storage.id])
        both = await uow.node_links.covering_links([storage.id, other.id])
    assert [tuple(link) for link in found] == [(storage.id, lithium.id, firms[1].id)]
    assert sorted(tuple(link) for link in both) == sorted(
        [(storage.id, lithium.id, firms[1].id), (other.id, cells.id, firms[1].id)]
    )


def _random_targets(rng: random.Random, chain_ids: list[str], count: int) -> list[Target]:
    """Targets of random chains, each entering a random forward run of stages (some on one day, some
    dropped) between mid-2020 and 2026."""
    found = []
    for n in range(count):
        day = date(2020, 6, 1) + timedelta(days=rng.randrange(6 * 365))
        target = Target.create(chain_id=rng.choice(chain_ids), company_name=f"目标{n}", on=day)
        for stage in sorted(rng.sample(PIPELINE[1:], rng.randrange(len(PIPELINE))), key=PIPELINE.index):
            day += timedelta(days=rng.choice((0, 1, rng.randrange(400))))
            target.move_to(stage, day)
        if not target.is_final and rng.random() < 0.2:
            target.move_to("dropped", day + timedelta(days=rng.randrange(200)))
        found.append(target)
    return found


async def test_the_pipeline_counted_by_the_database_is_the_domains_on_random_histories(app):
    """The evaluation's pipeline is counted by two grouped statements: equal to `pipeline_counts` of the
    targets themselves, for ranges of years and days that cut inside, at and outside their entries."""
    factory = app.state.session_factory
    chains = [Chain(name=f"产业链{n}") for n in range(3)]
    ids = [chain.id for chain in chains]
    rng = random.Random(20251231)
    targets = _random_targets(rng, ids, 300)
    # At the edges: entered on the first day of the range, on the day itself, the day after, the day before.
    for n, day in enumerate((date(2021, 1, 1), date(2023, 6, 15), date(2023, 6, 16), date(2020, 12, 31))):
        targets.append(Target.create(chain_id=ids[0], company_name=f"边界{n}", on=day))
    async with SqlAlchemyUnitOfWork(factory, actor="test") as uow:
        uow.session.add_all(chains)
        await uow.session.flush()
        uow.session.add_all(targets)
        await uow.commit()

    asked = ids[:2]
    of_asked = [t for t in targets if t.chain_id in asked]
    cases = [
        (range(2021, 2026), date(2025, 12, 31)),
        (range(2021, 2024), date(2023, 6, 15)),
        (range(2021, 2022), date(2026, 3, 1)),  # the day after the range's end
        (range(2021, 2026), date(2020, 12, 31)),  # the day before it: nothing entered
    ]
    async with SqlAlchemyUnitOfWork(factory, write=False) as uow:
        for years, until in cases:
            counted = await uow.targets.pipeline_counts(asked, years, until=until)
            expected = pipeline_counts(of_asked, years, until=until)
            assert counted == expected, (years, until)
            assert sum(expected.by_year[years.start].values()) > 0 or until.year < years.start
            every = await uow.targets.pipeline_counts(None, years, until=until)
            assert every == pipeline_counts(targets, years, until=until) != expected, (years, until)


async def test_a_target_enters_a_stage_once_in_the_database_too(app):
    """The pipeline counts entries as targets: a second entry of one stage for a target is refused."""
    chain = Chain(name="储能电池")
    target = Target.create(chain_id=chain.id, company_name="贝特瑞", on=date(2024, 1, 2))
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        uow.session.add(chain)
        await uow.session.flush()
        uow.session.add(target)
        await uow.commit()
    entry = {"target_id": target.id, "position": 1, "stage": "lead", "date": date(2024, 2, 1)}
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        with pytest.raises(IntegrityError):
            await uow.session.execute(insert(tables.target_stage_entries).values(id=new_id(), **entry))
