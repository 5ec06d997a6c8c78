"""Every table of the service; importing this package registers them all on `metadata`."""

from infrastructure.db.tables import chains, cultivation, identity, integration, outbox, planning  # noqa: F401
