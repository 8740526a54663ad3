"""`status_check`: poll acexy, the AceStream engine and WARP into the status store."""

from datetime import datetime, timedelta
from typing import Any

from app.core.config import Settings
from app.services.peer_status import PeerStatusService
from app.services.tasks.definition import TaskDefinition
from app.utils.cancel import CancelToken

NAME = "status_check"


def definition(settings: Settings, peer_status: PeerStatusService) -> TaskDefinition:
    # Every peer check ends within a few seconds on its own (services/peers): no need to
    # interrupt one.
    def run(now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        return peer_status.refresh(now)

    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.status_check_interval_seconds),
        run=run,
    )
