"""`epg_refresh`: read the XMLTV sources in EPG_URLS and match them to scraped channels; a
success regenerates the playlist, which carries the matches."""

from datetime import timedelta

from app.core.config import Settings
from app.services.epg import EpgService
from app.services.tasks.definition import TaskDefinition

NAME = "epg_refresh"


def definition(settings: Settings, epg: EpgService) -> TaskDefinition:
    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.epg_refresh_interval_seconds),
        run=epg.refresh,
        then=("playlist_generation",),
    )
