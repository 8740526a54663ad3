from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.api.deps import ActivityFeedDep, ActivityServiceDep, SettingsDep
from app.api.event_stream import EventStreamResponse
from app.api.middleware import is_head_request
from app.api.model_response import model_response
from app.schemas.activity import (
    ActivityHistogram,
    ActivityPage,
    ActivityStatusChange,
    ExportFormat,
)
from app.schemas.errors import ErrorMessage
from app.services.activity import EXPORT_BATCH_ROWS, MAX_ROW_ID
from app.services.activity_export import MEDIA_TYPES, encode, export_filename
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
    ActivityLevel,
    Query(description="Only rows of this level or above: `warning` shows warnings and errors."),
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


@router.get(
    "/recent",
    summary="Recent activity, newest first, one keyset page at a time",
    response_model=ActivityPage,
)
def recent_activity(
    service: ActivityServiceDep,
    days: Days = None,
    type: Types = None,
    min_level: MinLevel = ActivityLevel.INFO,
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> Response:
    page = service.recent(
        days=days,
        types=type,
        min_level=min_level,
        limit=limit,
        cursor=cursor,
        now=datetime.now(UTC),
    )
    return model_response(page)


@router.get(
    "/histogram",
    summary="Activity per hour (up to 2 days) or per day, by type and problem level",
    response_model=ActivityHistogram,
)
def activity_histogram(
    service: ActivityServiceDep,
    days: Days = None,
    type: Types = None,
    min_level: MinLevel = ActivityLevel.INFO,
) -> Response:
    now = datetime.now(UTC)
    return model_response(service.histogram(days=days, types=type, min_level=min_level, now=now))


_EXPORT_FILE = {"schema": {"type": "string"}}


@router.get(
    "/export",
    summary="The activity log as a file (CSV or NDJSON), newest first",
    description=(
        "Every row `/recent` would page through with the same `days`, `type` and `min_level`,"
        f" newest first, streamed (read in batches of {EXPORT_BATCH_ROWS:,}, each a short read"
        " of its own) and named by `Content-Disposition` (`activity-2026-12-02T0830Z.csv`)."
        " CSV columns: id,"
        " timestamp, type, level, message, details (JSON text), user, trace_id, span_id; a cell"
        " a spreadsheet would take for a formula starts with `'`. NDJSON: one `/recent` item"
        " per line."
    ),
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file, streamed",
            "content": dict.fromkeys(MEDIA_TYPES.values(), _EXPORT_FILE),
        }
    },
)
def export_activity(
    request: Request,
    service: ActivityServiceDep,
    format: Annotated[ExportFormat, Query(description="The file's format.")] = ExportFormat.CSV,
    days: Days = None,
    type: Types = None,
    min_level: MinLevel = ActivityLevel.INFO,
) -> StreamingResponse:
    now = datetime.now(UTC)
    headers = {"Content-Disposition": f'attachment; filename="{export_filename(format, now)}"'}
    if is_head_request(request):  # a probe: the file's headers, without reading the log
        return StreamingResponse(iter(()), media_type=MEDIA_TYPES[format], headers=headers)
    batches = service.export(days=days, types=type, min_level=min_level, now=now)
    return StreamingResponse(
        encode(format, batches), media_type=MEDIA_TYPES[format], headers=headers
    )


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
    min_level: MinLevel = ActivityLevel.INFO,
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
