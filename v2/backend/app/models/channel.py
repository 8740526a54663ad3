from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, UTCDateTime


class Channel(Base):
    """An AceStream channel found by the scraper; `content_id` is its 40-hex id.

    A channel is its (content_id, id_kind): a content id and a torrent infohash with the same
    hex are different streams, so both are kept.
    """

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("content_id", "id_kind"),)

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    content_id: Mapped[str] = mapped_column(String(40))
    # "content_id" for acestream:// ids, "infohash" for torrent infohash links.
    id_kind: Mapped[str] = mapped_column(String(16), default="content_id")
    name: Mapped[str | None] = mapped_column(String(200))
    tvg_id: Mapped[str | None] = mapped_column(String(200))
    tvg_logo: Mapped[str | None] = mapped_column(Text)
    group_title: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_in_latest_scrape: Mapped[bool] = mapped_column(default=True)
    epg_channel_id: Mapped[str | None] = mapped_column(
        String(200), ForeignKey("epg_channels.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return (
            f"Channel(content_id={self.content_id!r}, id_kind={self.id_kind!r}, name={self.name!r})"
        )


class EpgChannel(Base):
    """A channel of an XMLTV source, with how many programmes the last refresh found."""

    __tablename__ = "epg_channels"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    programme_count: Mapped[int] = mapped_column(Integer, default=0)
    source_url: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"EpgChannel(id={self.id!r}, programme_count={self.programme_count!r})"
