"""The outbox (发件箱): domain events written in the same transaction as the change they describe.

Commit order on PostgreSQL: ids come from a sequence at insert, not at commit, so a reader
paging by id alone could pass an event whose transaction commits late. Each row therefore
keeps the writing transaction's id (`txid`, from pg_current_xact_id()). The feed serves only
rows whose transaction is older than the oldest one still running (pg_snapshot_xmin) and pages
by (txid, id): every row that becomes visible later has a txid at or above that horizon, so it
always sorts after everything already served. SQLite serialises writers, so there txid is 0 and
id order is commit order.
"""

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from infrastructure.db.metadata import metadata
from infrastructure.db.types import JsonDocument, UtcDateTime

AutoId = BigInteger().with_variant(Integer, "sqlite")

outbox = Table(
    "outbox",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False, unique=True),
    Column("txid", BigInteger, nullable=False, server_default="0"),
    Column("type", String(64), nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("data", JsonDocument(), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("relayed_at", UtcDateTime, nullable=True),
    Index("ix_outbox_feed", "txid", "id"),
    Index("ix_outbox_type", "type"),
)
