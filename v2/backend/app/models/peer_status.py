from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import JSONDocument, UTCDateTime


class PeerStatus(Base):
    """The latest check of one peer (`acexy`, `engine` or `warp`), shared by every replica:
    written by `status_check`, read by the API and /metrics.

    `state` is what the peer's client returned (`AcexyStatus`, `EngineStatus`, `WarpStatus`)
    as JSON, redacted before it is written (peers' errors quote the configured URLs).
    `last_up_at` is when the peer was last seen up (WARP: connected), carried over by the
    checks that find it down.
    """

    __tablename__ = "peer_status"

    peer: Mapped[str] = mapped_column(String(16), primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    last_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"PeerStatus(peer={self.peer!r}, checked_at={self.checked_at!r})"
