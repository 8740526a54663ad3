from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, UTCDateTime


class StreamPlay(Base):
    """One redirect of a player to acexy for one of our channels (`content_id`, `id_kind`).

    `client_address` and `user_agent` are NULL with STREAM_CLIENT_DETAILS=false. Bounded by
    channel: each insert drops the channel's plays beyond the newest `PLAYS_KEPT_PER_CHANNEL`
    (`repositories/stream_plays.py`).
    """

    __tablename__ = "stream_plays"
    __table_args__ = (
        Index("ix_stream_plays_channel_id", "content_id", "id_kind", "id"),
        # The status check asks which channels were played in the last minutes.
        Index("ix_stream_plays_played_at", "played_at"),
    )

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    content_id: Mapped[str] = mapped_column(String(40))
    id_kind: Mapped[str] = mapped_column(String(16))
    played_at: Mapped[datetime] = mapped_column(UTCDateTime)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))

    def __repr__(self) -> str:
        return f"StreamPlay(content_id={self.content_id!r}, played_at={self.played_at!r})"
