"""`playlist_generation`: write DATA_DIR/playlist.m3u from the current channels."""

from datetime import datetime, timedelta
from typing import Any

from app.core.config import Settings
from app.services.playlist import PlaylistService
from app.services.tasks.definition import TaskDefinition
from app.utils.cancel import CancelToken

NAME = "playlist_generation"


def definition(settings: Settings, playlist: PlaylistService) -> TaskDefinition:
    # One query and one file write: nothing long enough to be worth interrupting.
    def run(_now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        return playlist.generate()

    return TaskDefinition(
        name=NAME, interval=timedelta(seconds=settings.playlist_interval_seconds), run=run
    )
