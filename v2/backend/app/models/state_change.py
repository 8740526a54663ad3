from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, UTCDateTime


class StateChange(Base):
    """One change of state of a peer, a task or a stream: what (`kind`, `name`), from, to,
    when and why. Written once across replicas; kept `UPTIME_RETENTION_DAYS`, apart from the
    activity log's retention. Uptime is read from these rows, and notifications are sent from
    them.

    `from_state` is NULL at an entity's first sight. States are short words: peers
    `up`/`down`, WARP `connected`/`disconnected`/..., tasks `ok`/`failing`/`overdue`/`paused`,
    streams `playing`/`stalled`/`ended`, and `unknown` for a time the service did not run.
    """

    __tablename__ = "state_changes"
    __table_args__ = (
        Index("ix_state_changes_entity", "kind", "name", "changed_at"),
        Index("ix_state_changes_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # peer | task | stream
    name: Mapped[str] = mapped_column(String(200))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return (
            f"StateChange({self.kind}:{self.name} {self.from_state} -> {self.to_state} "
            f"at {self.changed_at!r})"
        )
