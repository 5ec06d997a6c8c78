"""Revision 0016 on a database that lived at 0015: the intervals already stored get their holding spans (the
domain's rule), each with its enterprise's activity, and `gaoxin verify`'s check finds nothing to add."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from infrastructure.db.migrate import downgrade_async, upgrade_async
from infrastructure.db.tables import cultivation as c
from infrastructure.stored_tiers import tier_differences
from tests.support.databases import fresh_database


def _certification(ident: str, enterprise: str, kind: str, issued_on: date, expires_on: date | None) -> dict:
    return {
        "id": ident,
        "enterprise_id": enterprise,
        "kind": kind,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "revoked": False,
        "revoked_on": None,
        "version": 1,
    }


async def test_the_intervals_stored_before_get_their_spans(tmp_path):
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url, "0015")
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            for ident, status in (("e1", "active"), ("e2", "moved_out")):
                row = {"id": ident, "name": ident, "aliases": [], "status": status, "version": 1}
                await connection.execute(insert(c.enterprises).values(**row))
            await connection.execute(
                insert(c.certifications),
                [
                    _certification("a", "e1", "tech_sme", date(2021, 1, 1), date(2023, 12, 31)),
                    _certification("b", "e1", "hnte", date(2022, 6, 1), None),
                    _certification("d", "e2", "hnte", date(2021, 1, 1), date(2023, 12, 31)),
                ],
            )
        # the intervals as 0012 and every write since stored them
        await downgrade_async(url, "0011")
        await upgrade_async(url, "0016")
        s = c.holding_spans.c
        async with engine.connect() as connection:
            statement = select(s.enterprise_id, s.kinds, s.valid_from, s.valid_until, s.enterprise_active)
            rows = (await connection.execute(statement)).all()
        assert sorted(rows, key=lambda row: (row[0], row[2])) == [
            ("e1", "tech_sme", date(2021, 1, 1), date(2022, 5, 31), True),
            ("e1", "hnte,tech_sme", date(2022, 6, 1), date(2023, 12, 31), True),
            ("e1", "hnte", date(2024, 1, 1), None, True),
            ("e2", "hnte", date(2021, 1, 1), date(2023, 12, 31), False),
        ]
        differences = await tier_differences(async_sessionmaker(engine), date(2024, 6, 1))
        assert not [d for d in differences if "holding span" in d]
        await downgrade_async(url, "0015")
        await engine.dispose()
