"""The bulk reads behind screening and the pyramid, on the real database: same answers, three queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.cultivation.eligibility import rule_set_for
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.handlers.registry import run_screening, tier_statistics
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.stats import designation_counts, live_indicator_counts, tier_counts
from domain.identity.policy import Principal
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.statements import listening
from tests.unit.cultivation.test_screening import random_registry

YEAR = 2023
OFFICER = Principal(kind="user", id="u1", name="officer", roles=frozenset({"officer"}))
RULE_SETS = ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"]


class Ids(list):
    """The enterprise ids in id order, and which one got the figures with trailing zeros."""

    def __init__(self, ids: list[str], first: str) -> None:
        super().__init__(ids)
        self.first = first


@pytest.fixture
async def registry(app):
    """A random registry written through the ORM, with trailing zeros that must read back normalized."""
    enterprises, certs, data = random_registry(seed=2023, count=160)
    data[enterprises[0].id][YEAR] = AnnualMetrics(
        enterprise_id=enterprises[0].id,
        year=YEAR,
        main_business_revenue=Decimal("2000.500"),
        revenue=Decimal("10.0"),
    )
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        for enterprise in enterprises:
            uow.enterprises.add(enterprise)
        await uow.flush()
        for enterprise in enterprises:
            for certification in certs[enterprise.id]:
                uow.certifications.add(certification)
            for record in data[enterprise.id].values():
                uow.annual_metrics.add(record)
        await uow.commit()
    return Ids(sorted(e.id for e in enterprises), enterprises[0].id)  # the registry is read in id order


async def expected_candidates(app, ids: list[str], name: str) -> list[dict]:
    """Each enterprise evaluated one by one through the ORM, as GET …/eligibility does."""
    rules, year_end, found = rule_set_for(name, YEAR), date(YEAR, 12, 31), []
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        for enterprise_id in ids:
            enterprise = await uow.enterprises.get(enterprise_id)
            held = await uow.certifications.of_enterprise(enterprise_id)
            metrics = {m.year: m for m in await uow.annual_metrics.of_enterprise(enterprise_id)}
            result = rules.evaluate(enterprise, held, metrics, YEAR)
            holds = any(c.kind == name and c.valid_on(year_end) for c in held)
            if enterprise.status == "active" and not holds and result.eligible is True:
                found.append(
                    {"enterprise_id": enterprise.id, "name": enterprise.name, "result": result.as_dict()}
                )
    return found


@pytest.mark.parametrize("name", RULE_SETS)
async def test_screening_in_bulk_gives_what_one_by_one_gives(app, registry, name):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    reads: list = []

    async def record_reads(batch) -> None:
        reads.extend(batch)

    with listening(app, "before_cursor_execute", count):
        async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="officer", write=False) as uow:
            body = await run_screening(name, YEAR, uow=uow, principal=OFFICER, record_reads=record_reads)
    assert body["candidates"] == await expected_candidates(app, registry, name)
    assert body["candidates"], "the random registry should give every rule set a candidate"
    assert [r.enterprise_id for r in reads] == [c["enterprise_id"] for c in body["candidates"]]
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # enterprises, certifications, the metrics of the rule set's years


@pytest.mark.parametrize("batch", [1, 7, 40, 159, 160, 161])
async def test_screening_batch_by_batch_finds_what_one_batch_finds(app, registry, batch):
    """Batches of 160 enterprises split unevenly, evenly (40, 160: a last query finds none) and not at all."""
    found: dict[int, tuple[list, list]] = {}
    for size in (batch, len(registry) + 1):
        reads: list = []

        async def record_reads(entries, reads=reads) -> None:
            reads.extend(entries)

        async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="officer", write=False) as uow:
            body = await run_screening(
                "gazelle", YEAR, uow=uow, principal=OFFICER, record_reads=record_reads, batch=size
            )
        found[size] = (body["candidates"], [r.enterprise_id for r in reads])
    batched, whole = found[batch], found[len(registry) + 1]
    assert batched == whole
    assert batched[0], "the random registry should give gazelle candidates"


async def test_amounts_read_in_bulk_show_the_digits_the_orm_shows(app, registry):
    first = registry.first
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        bulk = await uow.registry.metrics(YEAR, YEAR, ("main_business_revenue", "revenue"))
        one = await uow.annual_metrics.one(first, YEAR)
        assert (str(one.main_business_revenue), str(one.revenue)) == ("2000.5", "10")
    record = bulk[first][YEAR]
    assert (str(record.main_business_revenue), str(record.revenue)) == ("2000.5", "10")


async def test_live_indicators_count_the_registry_like_the_domain(app, registry):
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        counted = await uow.live_indicators.counts(YEAR)
        enterprises = [await uow.enterprises.get(i) for i in registry]
        held = await uow.certifications.of_enterprises(registry)
        assert counted == live_indicator_counts(enterprises, held, YEAR)
    assert counted[8] > 0


async def test_the_pyramid_from_stored_intervals_counts_the_registry_like_the_domain(app, registry):
    """The pyramid and the designations on a day, read from the stored validity intervals by index, are
    those the domain counts walking every enterprise and certification; on several days of the year."""
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        enterprises = [await uow.enterprises.get(i) for i in registry]
        held = await uow.certifications.of_enterprises(registry)
        for on in (date(YEAR, 1, 1), date(YEAR, 6, 30), date(YEAR, 12, 31), date(YEAR + 2, 3, 1)):
            stats = await tier_statistics(on, today=date(YEAR + 1, 1, 1), uow=uow)
            assert stats["by_tier"] == tier_counts(enterprises, held, on), on
            assert stats["by_designation"] == designation_counts(
                enterprises, held, on, date(YEAR + 1, 1, 1)
            ), on
        live = await uow.live_indicators.counts(YEAR)
        active = [e.status == "active" for e in enterprises]
    assert sum(stats["by_tier"].values()) == sum(active) < len(registry)  # every active one, once
    assert live[8] > 0


async def test_search_text_follows_enterprises_written_by_any_context(app):
    """The chains context registers enterprises with `uow.enterprises.add` (a target in production)."""
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        uow.enterprises.add(Enterprise.register("中科鞍镓", aliases=["鞍镓半导体"]))
        await uow.commit()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        (found,) = await uow.enterprises.search({"q": "鞍镓半导"}, after=None, limit=10)
        found_id = found.id
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        enterprise = await uow.enterprises.get(found_id)
        enterprise.update(aliases=["中科镓业"])
        await uow.commit()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        assert await uow.enterprises.search({"q": "鞍镓半导体"}, after=None, limit=10) == []
        assert [e.name for e in await uow.enterprises.search({"q": "镓业"}, after=None, limit=10)] == [
            "中科鞍镓"
        ]
