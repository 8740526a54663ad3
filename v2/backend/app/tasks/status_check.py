"""`status_check`: poll acexy, the AceStream engine and WARP into the status store, then
each stream worth asking about into its session (what plays and how well)."""

from datetime import datetime, timedelta
from typing import Any

from app.core.config import Settings
from app.services.peer_status import PeerStatusService
from app.services.stream_sessions import StreamSessionService
from app.services.tasks.definition import TaskDefinition
from app.utils.cancel import CancelToken

NAME = "status_check"


def definition(
    settings: Settings, peer_status: PeerStatusService, streams: StreamSessionService
) -> TaskDefinition:
    # Every peer check ends within a few seconds on its own (services/peers): no need to
    # interrupt one.
    def run(now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        result = peer_status.refresh(now)
        return result | streams.track(now, peer_status.current().acexy)

    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.status_check_interval_seconds),
        run=run,
    )
