"""`stream_sweep`: find streams started outside our playlist by checking our channels' ids
against acexy, a few at a time (STREAM_SWEEP_RATE, STREAM_SWEEP_INTERVAL_SECONDS)."""

from datetime import timedelta

from app.core.config import Settings
from app.services.stream_sessions import StreamSessionService
from app.services.tasks.definition import TaskDefinition

NAME = "stream_sweep"


def definition(settings: Settings, streams: StreamSessionService) -> TaskDefinition | None:
    """The sweep's task; None with STREAM_SWEEP_INTERVAL_SECONDS=0 (no sweep)."""
    if settings.stream_sweep_interval_seconds == 0:
        return None
    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.stream_sweep_interval_seconds),
        run=streams.sweep,
    )
