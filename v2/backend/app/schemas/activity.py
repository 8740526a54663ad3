"""The public JSON of the activity log."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from app.utils.activity import ActivityLevel, ActivityType

_ITEM_EXAMPLE: JsonDict = {
    "id": 1042,
    "timestamp": "2026-11-24T08:42:24.123456Z",
    "type": "scrape",
    "level": "info",
    "message": "Scraped 3 sources",
    "details": {"channels_found": 120, "new": 4},
    "user": None,
    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "span_id": "00f067aa0ba902b7",
}


class ActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_ITEM_EXAMPLE]})

    id: int
    timestamp: datetime = Field(description="When it happened, ISO 8601 UTC.")
    type: ActivityType
    level: ActivityLevel
    message: str
    details: dict[str, Any]
    user: str | None = Field(description="Who did it: the API token's label, or null.")
    trace_id: str | None = Field(description="OpenTelemetry trace id (32 hex digits).")
    span_id: str | None = Field(description="OpenTelemetry span id (16 hex digits).")


class ActivityPage(BaseModel):
    """One page of activity, newest first; pass `next_cursor` back as `cursor` for the next."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_ITEM_EXAMPLE], "next_cursor": "WyIyMDI2..."}]}
    )

    items: list[ActivityRead]
    next_cursor: str | None = Field(description="Opaque; null on the last page.")


class HistogramBucket(BaseModel):
    start: datetime = Field(description="Start of the bucket, ISO 8601 UTC.")
    counts: dict[ActivityType, int] = Field(description="Rows per type; types with none left out.")
    levels: dict[ActivityLevel, int] = Field(
        description="The bucket's rows of level warning and error, per level (its problem"
        " track); info is left out (it is the rest of `counts`), and so is a level with none.",
    )


class ActivityHistogram(BaseModel):
    """Activity counted per time bucket, by type and by problem level, oldest first; empty
    buckets are left out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "bucket_seconds": 3600,
                    "buckets": [
                        {
                            "start": "2026-11-24T08:00:00Z",
                            "counts": {"scrape": 3, "system_event": 2, "error": 1},
                            "levels": {"warning": 1, "error": 1},
                        }
                    ],
                }
            ]
        }
    )

    bucket_seconds: int
    buckets: list[HistogramBucket]


class ExportFormat(StrEnum):
    """The file `GET /api/v1/activity/export` writes."""

    CSV = "csv"
    NDJSON = "ndjson"


StatusSection = Literal["streams", "warp", "tasks"]


class ActivityStatusChange(BaseModel):
    """The data of an `event: status` on the activity stream: the page sections whose state
    changed (`streams`: /streams/active, `warp`: /warp/status, `tasks`:
    /background-tasks/status); refetch those."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"changed": ["tasks"]}]})

    changed: list[StatusSection]
