"""`status_check`: poll acexy, the AceStream engine and WARP into the status store."""

from datetime import timedelta

from app.core.config import Settings
from app.services.container import Services
from app.services.tasks import TaskDefinition

NAME = "status_check"


def definition(settings: Settings, services: Services) -> TaskDefinition:
    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.status_check_interval_seconds),
        run=services.peer_status.refresh,
    )
