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
    id: str | None
    infohash: str | None
    clients: int | None
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
    streams: list[StreamRead] = Field(description="Per-stream detail when acexy gives it.")
    total_clients: int | None


class WarpStatusRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_WARP_EXAMPLE]})

    status: WarpState
    last_connected: datetime | None
    error: str | None
    details: dict[str, Any]
    checked_at: datetime | None
