"""Tables of integration: webhooks, their deliveries, idempotency keys, and the daily sweep's marks."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from domain.integration.deliveries import DeliveryStatus
from infrastructure.db.metadata import metadata
from infrastructure.db.types import JsonDocument, UtcDateTime, enum_column
from infrastructure.security.crypto import EncryptedString

Id = String(32)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("event_types", JsonDocument(), nullable=False),
    Column("secret", EncryptedString(), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("disabled_reason", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    # Where the subscription starts (infrastructure/outbox/feed.py): the events committed after its creation.
    Column("start_row", BigInteger, nullable=False, server_default="0"),
    Column("start_snapshot", Text, nullable=True),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("webhook_id", Id, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("status", enum_column(DeliveryStatus), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    # A relay that takes a delivery leases it until then; another relay skips it meanwhile.
    Column("locked_until", UtcDateTime, nullable=True),
    UniqueConstraint("webhook_id", "event_id"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("caller", String(300), nullable=False),
    Column("key", String(255), nullable=False),
    Column("request_hash", String(64), nullable=False),
    # in_flight → committed (written with the creation, same transaction) → completed (response stored)
    Column("state", String(16), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response_headers", JsonDocument(), nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    UniqueConstraint("caller", "key"),
)

# Once-only facts of the daily sweep: (kind, subject, day) it has already announced.
sweep_marks = Table(
    "sweep_marks",
    metadata,
    Column("kind", String(64), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("on", Date, nullable=False),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("kind", "subject_id", "on"),
)

# What the relays did, kept in the database so that every worker's /metrics shows the same figures:
# counters (delivery attempts by outcome, NATS publish failures) and the time of the last sweep.
relay_counters = Table(
    "relay_counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
