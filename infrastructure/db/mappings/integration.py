"""Map the integration context's classes onto its tables."""

from domain.integration.deliveries import Delivery
from domain.integration.webhooks import Webhook
from infrastructure.db.metadata import mapper_registry
from infrastructure.db.tables import integration as t


def map_integration() -> None:
    mapper_registry.map_imperatively(Webhook, t.webhooks, version_id_col=t.webhooks.c.version)
    mapper_registry.map_imperatively(Delivery, t.webhook_deliveries, exclude_properties=["locked_until"])
