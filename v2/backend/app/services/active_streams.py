"""What plays now: the one answer `GET /api/v1/streams/active` gives and the per-stream
metrics read, so the two never disagree."""

from datetime import datetime

from app.schemas.peers import ActiveStreams
from app.services.peer_status import PeerStatusService
from app.services.stream_plays import StreamPlayService
from app.services.stream_sessions import StreamSessionService


class ActiveStreamsView:
    """acexy's count (else the engine's word), the tracked sessions with their latest figures,
    and each stream's channel and viewers."""

    def __init__(
        self, peers: PeerStatusService, sessions: StreamSessionService, plays: StreamPlayService
    ) -> None:
        self._peers = peers
        self._sessions = sessions
        self._plays = plays

    def read(self, now: datetime) -> ActiveStreams:
        active = self._sessions.with_open_sessions(self._peers.active_streams())
        return self._plays.with_channels_and_viewers(active, now)

    def sessions_started(self) -> int:
        return self._sessions.sessions_started()
