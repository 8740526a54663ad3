"""What plays now: the one answer `GET /api/v1/streams/active` gives and the per-stream
metrics read, so the two never disagree.

Both are kept per replica and read again only when they may have changed
(`app.core.changes`): a status check, a sweep, a redirect or a scrape writes their tables
every few seconds at most, while the page, the live feed and Prometheus read them far more
often; 50 playing streams took ~11 ms of CPU per read (docs/performance.md §17).
"""

from dataclasses import dataclass
from datetime import datetime

from app.core.changes import CachedRead, DatabaseChanges
from app.models import AppSetting, Channel, StreamPlay, StreamSample, StreamSession
from app.schemas.peers import ActiveStreams
from app.services.peer_status import PeerStatusService, active_streams_view
from app.services.stream_plays import VIEWER_WINDOW, StreamPlayService
from app.services.stream_sessions import StreamSessionService

# What the answer is read from, besides the peers' snapshot (the cache's key).
_STREAM_TABLES = [
    table.__tablename__ for table in (StreamSession, StreamSample, StreamPlay, Channel)
]


@dataclass(frozen=True)
class _Read:
    active: ActiveStreams
    # When the first of its viewers leaves the viewers' window (None: it shows none).
    viewers_until: datetime | None


class ActiveStreamsView:
    """acexy's count (else the engine's word), the tracked sessions with their latest figures,
    and each stream's channel and viewers."""

    def __init__(
        self,
        peers: PeerStatusService,
        sessions: StreamSessionService,
        plays: StreamPlayService,
        changes: DatabaseChanges | None = None,
    ) -> None:
        """`changes` tells when the stored streams may have changed (without it, every call
        reads them)."""
        self._peers = peers
        self._sessions = sessions
        self._plays = plays
        changes = changes or DatabaseChanges()
        self._active: CachedRead[_Read] = CachedRead(changes, _STREAM_TABLES)
        self._started: CachedRead[int] = CachedRead(changes, [AppSetting.__tablename__])

    def read(self, now: datetime) -> ActiveStreams:
        snapshot = self._peers.current()

        def read() -> _Read:
            active = self._sessions.with_open_sessions(active_streams_view(snapshot))
            active = self._plays.with_channels_and_viewers(active, now)
            since = [viewer.since for stream in active.streams for viewer in stream.viewers]
            return _Read(active, min(since) + VIEWER_WINDOW if since else None)

        kept = self._active.get(
            read,
            key=snapshot,
            still_true=lambda kept: kept.viewers_until is None or now <= kept.viewers_until,
        )
        return kept.active

    def sessions_started(self) -> int:
        return self._started.get(self._sessions.sessions_started)
