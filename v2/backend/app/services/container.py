"""The services one app instance shares between its requests (and, later, its jobs)."""

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.services.activity import ActivityService
from app.services.activity_exporter import ActivitySpanExporter
from app.services.config import ConfigService
from app.utils.activity import ActivityRecorder


@dataclass(frozen=True)
class Services:
    recorder: ActivityRecorder
    activity_exporter: ActivitySpanExporter
    config: ConfigService
    activity: ActivityService


def build_services(session_factory: sessionmaker[Session], recorder: ActivityRecorder) -> Services:
    config = ConfigService(session_factory, recorder)
    return Services(
        recorder=recorder,
        activity_exporter=ActivitySpanExporter(session_factory),
        config=config,
        activity=ActivityService(session_factory, config),
    )
