"""All models, imported here so that `Base.metadata` is complete for Alembic."""

from app.models.activity import ActivityHourlyCount, ActivityLog
from app.models.base import Base
from app.models.channel import Channel, EpgChannel
from app.models.notification import NotificationMessage
from app.models.peer_status import PeerStatus
from app.models.setting import AppSetting
from app.models.state_change import StateChange
from app.models.stream_play import StreamPlay
from app.models.stream_session import StreamSample, StreamSession
from app.models.task import TaskRun, TaskState

__all__ = [
    "ActivityHourlyCount",
    "ActivityLog",
    "AppSetting",
    "Base",
    "Channel",
    "EpgChannel",
    "NotificationMessage",
    "PeerStatus",
    "StateChange",
    "StreamPlay",
    "StreamSample",
    "StreamSession",
    "TaskRun",
    "TaskState",
]
