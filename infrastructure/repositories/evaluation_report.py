"""The evaluation report's own look-ups (domain/integration/evaluation_report.py): two plain-column reads."""

from __future__ import annotations

from sqlalchemy import select

from domain.integration.evaluation_report import GrantedExtension
from domain.planning.workflow import ExtensionStatus
from infrastructure.db.tables import identity as i
from infrastructure.db.tables import planning as p
from infrastructure.repositories.base import Reader


class EvaluationReportReader(Reader):
    """Read only, nothing remembered: the report changes nothing."""

    async def granted_extensions(self, plan_id: str) -> list[GrantedExtension]:
        """Every approved extension request of the plan's tasks, in one query."""
        x = p.extension_requests
        statement = (
            select(x.c.id, x.c.task_id, x.c.new_due_date, x.c.decided_at, x.c.note)
            .join(p.tasks, p.tasks.c.id == x.c.task_id)
            .where(p.tasks.c.plan_id == plan_id, x.c.status == ExtensionStatus.APPROVED)
            .order_by(x.c.decided_at, x.c.id)
        )
        return [GrantedExtension(*row) for row in (await self.session.execute(statement)).all()]

    async def department_names(self) -> dict[str, str]:
        d = i.departments
        return {row.id: row.name for row in await self.session.execute(select(d.c.id, d.c.name))}
