"""`activity_cleanup`: delete activity older than the retention setting."""

from datetime import timedelta

from app.core.config import Settings
from app.services.container import Services
from app.services.tasks import TaskDefinition

NAME = "activity_cleanup"


def definition(settings: Settings, services: Services) -> TaskDefinition:
    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.activity_cleanup_interval_seconds),
        run=services.retention.purge,
    )
