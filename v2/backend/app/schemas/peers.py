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
    "streams": [{"id": "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f", "infohash": None, "clients": 2}],
    "total_clients": 2,
}
_WARP_EXAMPLE: JsonDict = {
    "status": "connected",
    "last_connected": "2026-11-24T09:00:00Z",
    "error": None,
    "details": {"network": "healthy"},
    "checked_at": "2026-11-24T09:00:00Z",
}


class StreamRead(BaseModel):
    id: str | None
    infohash: str | None
    clients: int | None


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
