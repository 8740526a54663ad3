"""The services one app instance shares between its requests and its jobs."""

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.observability.activity_exporter import ActivitySpanExporter
from app.peers.fetch import Fetcher
from app.services.activity import ActivityService
from app.services.config import ConfigService
from app.services.epg import EpgService
from app.services.peer_status import PeerStatusService
from app.services.playlist import PlaylistService
from app.services.retention import RetentionService
from app.services.scraper import ScraperService
from app.utils.activity import ActivityRecorder


@dataclass(frozen=True)
class Services:
    recorder: ActivityRecorder
    activity_exporter: ActivitySpanExporter
    config: ConfigService
    activity: ActivityService
    scraper: ScraperService
    epg: EpgService
    playlist: PlaylistService
    retention: RetentionService
    peer_status: PeerStatusService


def build_services(
    settings: Settings, session_factory: sessionmaker[Session], recorder: ActivityRecorder
) -> Services:
    config = ConfigService(session_factory, recorder)
    fetcher = Fetcher(deadline_seconds=settings.fetch_deadline_seconds)
    return Services(
        recorder=recorder,
        activity_exporter=ActivitySpanExporter(session_factory),
        config=config,
        activity=ActivityService(session_factory, config),
        scraper=ScraperService(
            session_factory,
            recorder,
            [str(u) for u in settings.scrape_urls],
            fetcher,
            bare_ids=settings.scrape_bare_ids,
        ),
        epg=EpgService(session_factory, recorder, [str(u) for u in settings.epg_urls], fetcher),
        playlist=PlaylistService(
            session_factory, data_dir=settings.data_dir, stream_base_url=settings.stream_base_url
        ),
        retention=RetentionService(session_factory, config),
        peer_status=PeerStatusService(
            session_factory,
            recorder,
            acexy_url=str(settings.acexy_url),
            engine_url=str(settings.acestream_engine_url),
            warp_cli=settings.warp_cli,
        ),
    )
