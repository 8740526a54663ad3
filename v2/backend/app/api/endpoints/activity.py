from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from app.api.deps import ActivityFeedDep, ActivityServiceDep, SettingsDep
from app.api.event_stream import EventStreamResponse
from app.schemas.activity import ActivityHistogram, ActivityPage, ActivityStatusChange
from app.schemas.errors import ErrorMessage
from app.services.activity import MAX_ROW_ID
from app.utils.activity import ActivityLevel, ActivityType

router = APIRouter(prefix="/activity", tags=["activity"])

Days = Annotated[
    int | None,
    Query(ge=0, le=30, description="Days back; 0 = since 00:00 UTC today; default retention."),
]
Types = Annotated[
    list[ActivityType] | None, Query(description="Only these types (repeat for several).")
]
MinLevel = Annotated[
    ActivityLevel | None,
    Query(description="Only rows at this level or above (info < warning < error)."),
]
_RESUME = "Resume after this row id: every later row once, in order."

# The events of the stream (OpenAPI 3.2's `itemSchema`, as FastAPI writes it for its own
# event streams); `data` is JSON.
_STREAM_EVENTS: dict[str, Any] = {
    "schema": {"type": "string"},
    "itemSchema": {
        "type": "object",
        "required": ["event", "data"],
        "properties": {
            "event": {"type": "string", "enum": ["activity", "status"]},
            "id": {"type": "string", "description": "The row id, on `activity` events."},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/ActivityRead"},
                        ActivityStatusChange.model_json_schema(),
                    ]
                },
            },
        },
    },
}


@router.get("/recent", summary="Recent activity, newest first, one keyset page at a time")
def recent_activity(
    service: ActivityServiceDep,
    days: Days = None,
    type: Types = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> ActivityPage:
    return service.recent(days=days, types=type, limit=limit, cursor=cursor, now=datetime.now(UTC))


@router.get("/histogram", summary="Activity per hour (up to 2 days) or per day, by type")
def activity_histogram(
    service: ActivityServiceDep, days: Days = None, type: Types = None
) -> ActivityHistogram:
    return service.histogram(days=days, types=type, now=datetime.now(UTC))


@router.get(
    "/stream",
    summary="New activity and status changes as they happen (Server-Sent Events)",
    description="`event: activity` with `id: <row id>` and the row as `/recent` sends it, for "
    "each row stored from now on (from after `Last-Event-ID` when given), in order; "
    '`event: status` with `{"changed": [...]}` when the state of active streams, WARP or '
    "the background tasks changes; a `: keepalive` comment after 15 s of silence. A client "
    "that falls 1 000 events behind is disconnected and resumes with `Last-Event-ID`.",
    # No media type of its own: the 200 is described below, the errors stay JSON.
    response_class=Response,
    responses={
        200: {"description": "The event stream", "content": {"text/event-stream": _STREAM_EVENTS}},
        503: {
            "model": ErrorMessage,
            "description": "Too many stream clients (ACTIVITY_STREAM_MAX_CLIENTS), the "
            "service is stopping, or the database is unavailable; see Retry-After",
        },
    },
)
async def activity_stream(
    feed: ActivityFeedDep,
    settings: SettingsDep,
    type: Types = None,
    min_level: MinLevel = None,
    last_event_id: Annotated[
        int | None, Query(ge=0, le=MAX_ROW_ID, description=f"{_RESUME} The header wins.")
    ] = None,
    last_event_id_header: Annotated[
        int | None,
        Header(
            alias="Last-Event-ID",
            ge=0,
            le=MAX_ROW_ID,
            description=f"{_RESUME} Browsers send it when they reconnect.",
        ),
    ] = None,
) -> EventStreamResponse:
    after = last_event_id if last_event_id_header is None else last_event_id_header
    subscription = await feed.subscribe(after=after, types=type, min_level=min_level)
    return EventStreamResponse(
        subscription, heartbeat_seconds=settings.activity_stream_heartbeat_seconds
    )
