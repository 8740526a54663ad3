from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, JSONDocument, RedactedText, UTCDateTime


class NotificationMessage(Base):
    """A notification decided once, to be sent to every target: the outbox.

    `key` is unique per (entity, incident, message), so that a decision made twice, by two
    replicas or two runs, stores one row. `status` is `pending` until every target took it
    (`sent`), it ran out of attempts (`failed`), or it was decided while muted (`muted`,
    never sent). `delivered_to` holds the fingerprints of the targets that took it, so that
    a retry only goes to the others.
    """

    __tablename__ = "notification_messages"
    __table_args__ = (
        Index("ix_notification_messages_pending", "status", "next_attempt_at"),
        Index("ix_notification_messages_decided_at", "decided_at"),
    )

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    event: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(RedactedText)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_to: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    last_error: Mapped[str | None] = mapped_column(RedactedText)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"NotificationMessage({self.key!r}, {self.status}, attempts={self.attempts})"
