"""`scrape`: collect AceStream ids from SCRAPE_URLS; a success regenerates the playlist and,
with EPG_URLS set, refreshes the guides, whose matches only a new read can give new channels."""

from datetime import timedelta

from app.core.config import Settings
from app.services.scraper import ScraperService
from app.services.tasks.definition import TaskDefinition

NAME = "scrape"


def definition(settings: Settings, scraper: ScraperService) -> TaskDefinition:
    return TaskDefinition(
        name=NAME,
        interval=timedelta(seconds=settings.scrape_interval_seconds),
        run=scraper.scrape,
        then=("playlist_generation", "epg_refresh")
        if settings.epg_urls
        else ("playlist_generation",),
    )
