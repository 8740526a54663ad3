"""The public JSON of uptime: each peer's, task's and stream's state history over a window."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

EntityKind = Literal["peer", "task", "stream"]

_RATIO = (
    "Up time / known time (up + down); unknown time (before first sight, or while the"
    " service did not run) and paused time count in neither; null when none is known."
)

_EXAMPLE: JsonDict = {
    "bucket_seconds": 86400,
    "entities": [
        {
            "id": "acexy",
            "name": "acexy",
            "kind": "peer",
            "state": "down",
            "since": "2026-12-02T08:48:00Z",
            "uptime_ratio": 0.9862,
            "windows": {"1d": 0.9917, "7d": 0.9985, "30d": 0.9862, "90d": 0.9951},
            "days": [
                {
                    "date": "2026-12-01T00:00:00Z",
                    "uptime_ratio": 1.0,
                    "incidents": 0,
                    "worst": "up",
                },
                {
                    "date": "2026-12-02T00:00:00Z",
                    "uptime_ratio": 0.9667,
                    "incidents": 1,
                    "worst": "down",
                },
            ],
            "incidents": [
                {
                    "state": "down",
                    "from": "2026-12-02T08:48:00Z",
                    "to": None,
                    "duration_seconds": 720.0,
                    "reason": "Connection refused",
                }
            ],
        }
    ],
}


class UptimeBucket(BaseModel):
    date: datetime = Field(
        description="Start of the bucket, ISO 8601 UTC: midnight for a day, the hour for an"
        " hour (see `bucket_seconds`). The last bucket ends now."
    )
    uptime_ratio: float | None = Field(description=_RATIO)
    incidents: int = Field(
        description="Down stretches overlapping the bucket (one crossing"
        " midnight counts in both days)."
    )
    worst: str = Field(
        description="The worst state the bucket saw: any down state (e.g. `down`, `failing`,"
        " `overdue`, `disconnected`, `stalled`) > `unknown` > `paused` or a stream's `ended`"
        " > up (`up`, `ok`, `connected`, `playing`)."
    )


class UptimeIncident(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    state: str = Field(description="The down state: `down`, `failing`, `overdue`, `error`, ...")
    start: datetime = Field(alias="from", description="When it began (may be before the window).")
    to: datetime | None = Field(
        description="When it ended; null while it goes on. A stretch the service stopped"
        " watching in ends where the watching did (the rest is unknown)."
    )
    duration_seconds: float
    reason: str | None = Field(description="Why, as the check or the run said (redacted).")


class EntityUptime(BaseModel):
    id: str = Field(
        description="What the entity is stored as: `acexy`, `engine`, `warp`, the task's name,"
        " or a stream's content id or infohash (40 hex)."
    )
    name: str = Field(
        description="What to show: as `id`, except a stream whose id is one of our channels,"
        " which shows the channel's name."
    )
    kind: EntityKind
    state: str = Field(description="The state now; `unknown` when nobody has watched lately.")
    since: datetime = Field(description="When the state now began.")
    uptime_ratio: float | None = Field(description=f"Over the `days` asked for. {_RATIO}")
    windows: dict[Literal["1d", "7d", "30d", "90d"], float | None] = Field(
        description="The uptime ratio over the last 24 h, 7, 30 and 90 days (rolling), as"
        " `acestream_uptime_ratio` reports 1d, 7d and 30d."
    )
    days: list[UptimeBucket] = Field(
        description="Oldest first: one per UTC day for `days` > 2 (`days` of them, today"
        " last); one per hour for `days` <= 2 (24 x `days`, this hour last)."
    )
    incidents: list[UptimeIncident] = Field(
        description="Down stretches overlapping the window, newest first (at most 100)."
    )


class UptimeRead(BaseModel):
    """Each peer, task and stream seen in the window (peers first, streams last), with its
    state history over the window."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    bucket_seconds: int = Field(description="The size of each `days` entry: 3600 or 86400.")
    entities: list[EntityUptime]
