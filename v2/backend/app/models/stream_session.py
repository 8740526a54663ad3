from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, UTCDateTime


class StreamSession(Base):
    """One stream (`content_id`, `id_kind`, as `stream_plays`) from the first status check
    that found it playing to the first that found it gone; `ended_at` is NULL meanwhile.

    The partial unique index allows one open session per stream: a replica whose insert
    loses the race inserts nothing, which is how "started" is recorded once. The average
    download speed is `speed_down_sum / speed_samples`. `trouble_since` is the first of
    the current run of samples with no peers or no download; `stalled` is set once that
    run lasts 2 minutes. The first client is the play (redirect) that started it, if any.
    """

    __tablename__ = "stream_sessions"
    __table_args__ = (
        Index(
            "uq_stream_sessions_open",
            "content_id",
            "id_kind",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_stream_sessions_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    content_id: Mapped[str] = mapped_column(String(40))
    id_kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    peak_clients: Mapped[int | None] = mapped_column(Integer)
    speed_down_sum: Mapped[float] = mapped_column(Float, default=0.0)
    speed_samples: Mapped[int] = mapped_column(Integer, default=0)
    trouble_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stalled: Mapped[bool] = mapped_column(Boolean, default=False)
    first_client_address: Mapped[str | None] = mapped_column(String(64))
    first_client_agent: Mapped[str | None] = mapped_column(String(512))

    def __repr__(self) -> str:
        return (
            f"StreamSession(content_id={self.content_id!r}, started_at={self.started_at!r}, "
            f"ended_at={self.ended_at!r})"
        )


class StreamSample(Base):
    """A stream's figures over `resolution_seconds` from `at`: one status check while
    recent (resolution = the status-check interval), then 5-minute and 1-hour averages
    (clients and peers: the most) as the retention cleanup downsamples them."""

    __tablename__ = "stream_samples"
    __table_args__ = (Index("ix_stream_samples_session_id_at", "session_id", "at"),)

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(
        BigIntegerId, ForeignKey("stream_sessions.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolution_seconds: Mapped[int] = mapped_column(Integer)
    clients: Mapped[int | None] = mapped_column(Integer)
    # The engine's word for the stream ("dl", "prebuf", ...); the latest one once averaged.
    engine_status: Mapped[str | None] = mapped_column(String(16))
    peers: Mapped[int | None] = mapped_column(Integer)
    speed_down_kbps: Mapped[float | None] = mapped_column(Float)
    speed_up_kbps: Mapped[float | None] = mapped_column(Float)
    downloaded_bytes: Mapped[int | None] = mapped_column(BigInteger)
    uploaded_bytes: Mapped[int | None] = mapped_column(BigInteger)
    stalled: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"StreamSample(session_id={self.session_id!r}, at={self.at!r})"
