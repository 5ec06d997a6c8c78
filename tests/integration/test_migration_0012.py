"""Revision 0012 on a database that lived at 0011: the certifications already recorded get their validity
intervals (the domain's rule); tiers are left for reads and the sweep to store."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure.db.migrate import downgrade_async, upgrade_async
from infrastructure.db.tables import cultivation as c
from tests.support.databases import fresh_database


def _certification(ident: str, kind: str, issued_on: date, **more: object) -> dict:
    row = {"id": ident, "enterprise_id": "e1", "kind": kind, "issued_on": issued_on, "revoked": False}
    return row | {"expires_on": None, "revoked_on": None, "version": 1} | more


async def test_the_certifications_recorded_before_get_their_intervals(tmp_path):
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url, "0011")
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(
                insert(c.enterprises).values(id="e1", name="鞍钢", aliases=[], status="active", version=1)
            )
            await connection.execute(
                insert(c.certifications),
                [
                    _certification("hnte", "hnte", date(2021, 5, 20), expires_on=date(2024, 5, 19)),
                    _certification("open", "platform", date(2022, 3, 1)),
                    _certification("late", "gazelle", date(2022, 1, 1), expires_on=date(2024, 12, 31))
                    | {"revoked": True, "revoked_on": date(2023, 7, 1), "revoke_reason": "撤销"},
                    _certification("never", "eaglet", date(2022, 1, 1), expires_on=date(2023, 12, 31))
                    | {"revoked": True, "revoked_on": date(2022, 1, 1), "revoke_reason": "误录"},
                ],
            )
        await upgrade_async(url, "0012")
        i = c.certification_intervals.c
        async with engine.connect() as connection:
            rows = (
                await connection.execute(select(i.certification_id, i.kind, i.valid_from, i.valid_until))
            ).all()
            tiers = (await connection.execute(select(c.enterprise_tiers))).all()
        assert sorted(rows) == [
            ("hnte", "hnte", date(2021, 5, 20), date(2024, 5, 19)),
            ("late", "gazelle", date(2022, 1, 1), date(2023, 6, 30)),
            ("open", "platform", date(2022, 3, 1), None),
        ]
        assert tiers == []
        await downgrade_async(url, "0011")
        await engine.dispose()
