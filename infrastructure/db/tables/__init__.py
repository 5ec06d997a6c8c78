"""Every table of the service; importing this package registers them all on `metadata`."""

from infrastructure.db.tables import identity, outbox  # noqa: F401
