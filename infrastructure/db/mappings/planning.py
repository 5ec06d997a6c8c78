"""Map the planning context's classes onto its tables."""

from domain.planning.attachments import Attachment
from domain.planning.indicators import Indicator, Observation
from domain.planning.plan import Plan
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, Transition
from domain.planning.workflow import ExtensionRequest, Urge
from infrastructure.db.metadata import mapper_registry
from infrastructure.db.tables import planning as t


def map_planning() -> None:
    m = mapper_registry.map_imperatively
    m(Plan, t.plans, version_id_col=t.plans.c.version)
    m(Task, t.tasks, version_id_col=t.tasks.c.version)
    m(Transition, t.task_transitions)
    m(ProgressReport, t.progress_reports, version_id_col=t.progress_reports.c.version)
    m(Attachment, t.attachments)
    m(ExtensionRequest, t.extension_requests, version_id_col=t.extension_requests.c.version)
    m(Urge, t.urges)
    m(Indicator, t.indicators, version_id_col=t.indicators.c.version)
    m(Observation, t.observations, version_id_col=t.observations.c.version)
