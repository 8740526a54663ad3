"""FastAPI dependencies: everything a handler needs, read from `request.app.state`.

The providers are `async def` although none of them waits for anything: FastAPI runs a plain
`def` dependency in a worker thread, and the hop there and back cost more than the provider
itself (three of the five hops of an `/api/v1/activity/recent` request; `bench/http_path.py`).
"""

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from app.core.config import Settings
from app.exceptions import Unauthorized
from app.services.active_streams import ActiveStreamsView
from app.services.activity import ActivityService
from app.services.activity_feed import ActivityFeed
from app.services.config import ConfigService
from app.services.notifications import NotificationService
from app.services.peer_status import PeerStatusService
from app.services.playlist import PlaylistService
from app.services.retention import RetentionService
from app.services.stream_plays import StreamPlayService
from app.services.stream_sessions import StreamSessionService
from app.services.tasks.control import TaskControl
from app.services.tasks.engine import TaskEngine
from app.services.tasks.reads import TaskReads
from app.services.uptime import UptimeService

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="The API_TOKEN the service was started with.")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_registry(request: Request) -> CollectorRegistry:
    registry: CollectorRegistry = request.app.state.metrics_registry
    return registry


SettingsDep = Annotated[Settings, Depends(get_settings)]
RegistryDep = Annotated[CollectorRegistry, Depends(get_registry)]
EngineDep = Annotated[Engine, Depends(get_engine)]


# The running service's parts, as `app/wiring.py` built them and the lifespan stored them.


async def get_activity_service(request: Request) -> ActivityService:
    service: ActivityService = request.app.state.services.activity
    return service


async def get_retention(request: Request) -> RetentionService:
    service: RetentionService = request.app.state.services.retention
    return service


async def get_config_service(request: Request) -> ConfigService:
    service: ConfigService = request.app.state.services.config
    return service


async def get_activity_feed(request: Request) -> ActivityFeed:
    feed: ActivityFeed = request.app.state.activity_feed
    return feed


async def get_notifications(request: Request) -> NotificationService:
    service: NotificationService = request.app.state.services.notifications
    return service


async def get_peer_status(request: Request) -> PeerStatusService:
    service: PeerStatusService = request.app.state.services.peer_status
    return service


async def get_playlist_service(request: Request) -> PlaylistService:
    service: PlaylistService = request.app.state.services.playlist
    return service


async def get_stream_plays(request: Request) -> StreamPlayService:
    service: StreamPlayService = request.app.state.services.stream_plays
    return service


async def get_stream_sessions(request: Request) -> StreamSessionService:
    service: StreamSessionService = request.app.state.services.stream_sessions
    return service


async def get_uptime(request: Request) -> UptimeService:
    service: UptimeService = request.app.state.services.uptime
    return service


async def get_active_streams(request: Request) -> ActiveStreamsView:
    view: ActiveStreamsView = request.app.state.services.active_streams
    return view


async def get_task_engine(request: Request) -> TaskEngine:
    engine: TaskEngine = request.app.state.tasks.engine
    return engine


async def get_task_reads(request: Request) -> TaskReads:
    reads: TaskReads = request.app.state.tasks.reads
    return reads


async def get_task_control(request: Request) -> TaskControl:
    control: TaskControl = request.app.state.tasks.control
    return control


ActiveStreamsDep = Annotated[ActiveStreamsView, Depends(get_active_streams)]
ActivityServiceDep = Annotated[ActivityService, Depends(get_activity_service)]
ActivityFeedDep = Annotated[ActivityFeed, Depends(get_activity_feed)]
ConfigServiceDep = Annotated[ConfigService, Depends(get_config_service)]
NotificationsDep = Annotated[NotificationService, Depends(get_notifications)]
PeerStatusDep = Annotated[PeerStatusService, Depends(get_peer_status)]
RetentionDep = Annotated[RetentionService, Depends(get_retention)]
PlaylistServiceDep = Annotated[PlaylistService, Depends(get_playlist_service)]
StreamPlaysDep = Annotated[StreamPlayService, Depends(get_stream_plays)]
StreamSessionsDep = Annotated[StreamSessionService, Depends(get_stream_sessions)]
UptimeDep = Annotated[UptimeService, Depends(get_uptime)]
TaskEngineDep = Annotated[TaskEngine, Depends(get_task_engine)]
TaskReadsDep = Annotated[TaskReads, Depends(get_task_reads)]
TaskControlDep = Annotated[TaskControl, Depends(get_task_control)]


@dataclass(frozen=True)
class Caller:
    """Who is calling: the token's label when a valid token was sent, else None."""

    label: str | None


def _authorize(request: Request, settings: Settings, sent: str | None) -> Caller:
    if settings.api_token is None:
        return Caller(label=None)
    expected = settings.api_token.get_secret_value().encode()
    # compare_digest takes the same time wherever the first differing byte is.
    if hmac.compare_digest((sent or "").encode(), expected):
        return Caller(label=settings.api_token_label)
    if request.method in _READ_METHODS and not settings.api_read_auth:
        return Caller(label=None)
    raise Unauthorized("Missing or invalid API token: send 'Authorization: Bearer <API_TOKEN>'")


async def authorize(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """Enforce API_TOKEN: always for changes, for reads only with API_READ_AUTH=true.

    Applied to the whole `/api/v1` router, and to `/metrics` and the API docs, so a new
    endpoint that changes something is protected without anyone remembering to protect it.
    """
    return _authorize(request, settings, credentials.credentials if credentials else None)


async def sent_player_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    token: Annotated[
        str | None,
        Query(
            max_length=1024,
            description="The API_TOKEN, for players that cannot send headers "
            "(needed only with API_READ_AUTH=true).",
        ),
    ] = None,
) -> str | None:
    """The token a player sent: the Bearer header, else `?token=` (checked or not)."""
    return credentials.credentials if credentials else token


SentPlayerTokenDep = Annotated[str | None, Depends(sent_player_token)]


async def authorize_player(
    request: Request, settings: SettingsDep, sent: SentPlayerTokenDep
) -> Caller:
    """`authorize`, also taking the token as `?token=`: media players cannot send headers.

    The query string is never recorded as sent: logs and exported spans are redacted
    (`app.utils.redaction`), and request metrics are labelled by route template.
    """
    return _authorize(request, settings, sent)


CallerDep = Annotated[Caller, Depends(authorize)]
