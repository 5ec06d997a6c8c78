"""Map the cultivation context's classes onto its tables."""

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.pools import PoolMembership
from infrastructure.db.metadata import mapper_registry
from infrastructure.db.tables import cultivation as t


def map_cultivation() -> None:
    m = mapper_registry.map_imperatively
    m(
        Enterprise, t.enterprises, version_id_col=t.enterprises.c.version
    )  # search_text: infrastructure/derived.py
    m(Certification, t.certifications, version_id_col=t.certifications.c.version)
    m(AnnualMetrics, t.annual_metrics, version_id_col=t.annual_metrics.c.version)
    m(PoolMembership, t.pool_memberships, version_id_col=t.pool_memberships.c.version)
