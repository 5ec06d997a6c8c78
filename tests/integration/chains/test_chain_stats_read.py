"""The chains' coverage and pipeline read in bulk from the database (one link a covered node, the targets'
entries as rows) give what the domain gives from the entities."""

from __future__ import annotations

from datetime import date

from domain.chains.chains import Chain
from domain.chains.gaps import compute_gaps
from domain.chains.handlers import views
from domain.chains.nodes import Node, NodeLink
from domain.chains.targets import Target
from domain.chains.yardstick import entered_counts
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


async def test_coverage_and_stages_entered_read_in_bulk_are_the_domains(app):
    factory = app.state.session_factory
    storage, solar = Chain(name="储能电池"), Chain(name="太阳能应用")
    lithium = Node.create(chain_id=storage.id, name="锂离子电池", stage="midstream")
    separator = Node.create(chain_id=storage.id, name="隔膜", stage="upstream")
    sodium = Node.create(chain_id=storage.id, name="钠离子电池", stage="midstream")
    cells = Node.create(chain_id=solar.id, name="电池片", stage="midstream")
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
