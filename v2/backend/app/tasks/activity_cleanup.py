"""`activity_cleanup`: delete activity older than the retention setting."""

from datetime import timedelta

from app.core.config import Settings
from app.services.retention import RetentionService
from app.services.tasks.definition import TaskDefinition

NAME = "activity_cleanup"


def definition(settings: Settings, retention: RetentionService) -> TaskDefinition:
    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.activity_cleanup_interval_seconds),
        run=retention.purge,
    )
