from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, JSONDocument, UTCDateTime

# The rows of level warning and above, as SQL: the partial index's condition.
PROBLEMS_ONLY = "level <> 'info'"


class ActivityLog(Base):
    """One recorded activity: a scrape, a task run, an error, a user action or a system event.

    `type` and `level` are plain strings (validated by the application) so that a new activity
    type needs no migration.
    """

    __tablename__ = "activity_log"
    __table_args__ = (
        # Keyset paging walks (timestamp, id) descending, optionally within one type.
        Index("ix_activity_log_timestamp_id", "timestamp", "id"),
        Index("ix_activity_log_type_timestamp_id", "type", "timestamp", "id"),
        # "Problems only" (warning and above) among many info rows: only the problem rows,
        # in keyset order, so a first page reads ~50 index entries instead of scanning the
        # log; the second serves it within some types, where the type index would read every
        # row of those types. A query uses them by repeating PROBLEMS_ONLY word for word
        # (SQLite matches a partial index's WHERE term by term, never through a parameter).
        Index(
            "ix_activity_log_problems",
            "timestamp",
            "id",
            sqlite_where=text(PROBLEMS_ONLY),
            postgresql_where=text(PROBLEMS_ONLY),
        ),
        Index(
            "ix_activity_log_type_problems",
            "type",
            "timestamp",
            "id",
            sqlite_where=text(PROBLEMS_ONLY),
            postgresql_where=text(PROBLEMS_ONLY),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    type: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16), default="info")
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    user: Mapped[str | None] = mapped_column(String(255))
    trace_id: Mapped[str | None] = mapped_column(String(32))
    span_id: Mapped[str | None] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"ActivityLog(id={self.id!r}, type={self.type!r}, timestamp={self.timestamp!r})"


class ActivityHourlyCount(Base):
    """How many `activity_log` rows each hour holds, per type and level: what the histogram
    reads.

    Kept in step with the log in the same transactions that insert and purge its rows
    (`app.repositories.activity`), so counting a week of activity reads a few hundred rows
    here instead of every row of the log.
    """

    __tablename__ = "activity_hourly_counts"

    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
