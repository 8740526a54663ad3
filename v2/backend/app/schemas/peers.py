"""The public JSON of the peers' live status."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

WarpState = Literal["connected", "connecting", "disconnected", "error", "unavailable"]

_STREAMS_EXAMPLE: JsonDict = {
    "count": 2,
    "source": "acexy",
    "available": True,
    "checked_at": "2026-11-24T09:00:00Z",
    "error": None,
    "streams": [
        {
            "id": "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f",
            "infohash": None,
            "clients": 2,
            "started_at": "2026-11-24T08:58:14Z",
            "engine_status": "dl",
            "peers": 17,
            "speed_down_kbps": 812,
            "speed_up_kbps": 96,
            "downloaded_bytes": 104857600,
            "uploaded_bytes": 12582912,
            "stalled": False,
            "channel": {
                "name": "La 1 HD",
                "group": "Generalistas",
                "logo": "https://example.com/la1.png",
                "tvg_id": "La1.es",
            },
            "viewers": [
                {
                    "address": "192.168.1.20",
                    "user_agent": "VLC/3.0.21 LibVLC/3.0.21",
                    "since": "2026-11-24T08:58:12Z",
                }
            ],
        }
    ],
    "total_clients": 2,
}
_WARP_EXAMPLE: JsonDict = {
    "status": "connected",
    "last_connected": "2026-11-24T09:00:00Z",
    "error": None,
    "details": {"network": "healthy"},
    "checked_at": "2026-11-24T09:00:00Z",
}


class StreamChannel(BaseModel):
    """The channel of ours a stream plays."""

    name: str | None
    group: str | None
    logo: str | None
    tvg_id: str | None


class StreamViewer(BaseModel):
    """A player our redirect sent to this stream; address and user agent are null with
    STREAM_CLIENT_DETAILS=false."""

    address: str | None
    user_agent: str | None
    since: datetime = Field(description="When this player was last redirected to the stream.")


class StreamRead(BaseModel):
    """One playing stream. The engine's figures are null until its stat was read (and for a
    stream we do not track)."""

    id: str | None
    infohash: str | None
    clients: int | None
    started_at: datetime | None = Field(
        default=None, description="When the service first saw this stream playing."
    )
    engine_status: str | None = Field(
        default=None, description='The engine\'s own word for the stream ("prebuf", "dl", ...).'
    )
    peers: int | None = None
    speed_down_kbps: int | None = Field(default=None, description="Download speed, KB/s.")
    speed_up_kbps: int | None = Field(default=None, description="Upload speed, KB/s.")
    downloaded_bytes: int | None = None
    uploaded_bytes: int | None = None
    stalled: bool = Field(
        default=False,
        description="No peers or no download for 2 minutes or more.",
    )
    channel: StreamChannel | None = Field(
        description="Our channel with this id; null when the id is not one of ours."
    )
    viewers: list[StreamViewer] = Field(
        description="The players our redirect sent to this id in the last 6 hours, newest "
        "first, one per address and user agent.",
    )


class ActiveStreams(BaseModel):
    """How many streams are playing; `count` is null when no peer can tell."""

    model_config = ConfigDict(json_schema_extra={"examples": [_STREAMS_EXAMPLE]})

    count: int | None
    source: Literal["acexy", "acestream"] | None = Field(
        description="Who answered: acexy counts streams; the engine alone cannot (count null)."
    )
    available: bool
    checked_at: datetime | None = Field(description="When the peers were last polled.")
    error: str | None
    streams: list[StreamRead] = Field(
        description="The streams the service tracks (found by the status check or the sweep) "
        "and those a fork of acexy lists in its `active_streams`; empty when acexy does not "
        "answer."
    )
    total_clients: int | None


class WarpStatusRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_WARP_EXAMPLE]})

    status: WarpState
    last_connected: datetime | None
    error: str | None
    details: dict[str, Any]
    checked_at: datetime | None


_HISTORY_EXAMPLE: JsonDict = {
    "sessions": [
        {
            "id": "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f",
            "infohash": None,
            "channel": {
                "name": "La 1 HD",
                "group": "Generalistas",
                "logo": None,
                "tvg_id": "La1.es",
            },
            "started_at": "2026-11-24T08:58:14Z",
            "ended_at": "2026-11-24T10:51:02Z",
            "duration_seconds": 6768.0,
            "peak_clients": 2,
            "avg_speed_down_kbps": 790.5,
        }
    ],
    "bucket_seconds": 3600,
    "concurrent": [{"start": "2026-11-24T08:00:00Z", "streams": 1, "clients": 2}],
}
_SAMPLES_EXAMPLE: JsonDict = {
    "id": "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f",
    "channel": {"name": "La 1 HD", "group": "Generalistas", "logo": None, "tvg_id": "La1.es"},
    "samples": [
        {
            "at": "2026-11-24T09:00:00Z",
            "resolution_seconds": 15,
            "clients": 2,
            "peers": 17,
            "speed_down_kbps": 812.0,
            "speed_up_kbps": 96.0,
            "downloaded_bytes": 104857600,
            "uploaded_bytes": 12582912,
            "stalled": False,
        }
    ],
}


class StreamSessionRead(BaseModel):
    """One stream from its first to its last sight; `ended_at` is null while it plays."""

    id: str | None = Field(description="The content id (null for a stream started by infohash).")
    infohash: str | None
    channel: StreamChannel | None
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: float
    peak_clients: int | None
    avg_speed_down_kbps: float | None


class ConcurrentBucket(BaseModel):
    start: datetime = Field(description="Start of the bucket, ISO 8601 UTC.")
    streams: int = Field(description="The most streams playing at once in the bucket.")
    clients: int = Field(description="The most clients at once in the bucket.")


class StreamHistory(BaseModel):
    """The sessions that overlap the period, newest first, and concurrency per bucket (per
    hour up to 2 days, else per day, as the activity histogram's), oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [_HISTORY_EXAMPLE]})

    sessions: list[StreamSessionRead]
    bucket_seconds: int
    concurrent: list[ConcurrentBucket]


class StreamSample(BaseModel):
    """The stream over `resolution_seconds` from `at`: one status check when recent, an
    average (clients and peers: the most) once downsampled."""

    at: datetime
    resolution_seconds: int
    clients: int | None
    peers: int | None
    speed_down_kbps: float | None
    speed_up_kbps: float | None
    downloaded_bytes: int | None
    uploaded_bytes: int | None
    stalled: bool


class StreamSamples(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SAMPLES_EXAMPLE]})

    id: str
    channel: StreamChannel | None
    samples: list[StreamSample] = Field(description="Oldest first.")
