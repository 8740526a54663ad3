from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from app.api.deps import ActivityServiceDep
from app.schemas.activity import ActivityHistogram, ActivityPage, ExportFormat
from app.services.activity import EXPORT_BATCH_ROWS
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


@router.get("/recent", summary="Recent activity, newest first, one keyset page at a time")
def recent_activity(
    service: ActivityServiceDep,
    days: Days = None,
    type: Types = None,
    min_level: MinLevel = ActivityLevel.INFO,
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> ActivityPage:
    return service.recent(
        days=days,
        types=type,
        min_level=min_level,
        limit=limit,
        cursor=cursor,
        now=datetime.now(UTC),
    )


@router.get(
    "/histogram", summary="Activity per hour (up to 2 days) or per day, by type and problem level"
)
def activity_histogram(
    service: ActivityServiceDep,
    days: Days = None,
    type: Types = None,
    min_level: MinLevel = ActivityLevel.INFO,
) -> ActivityHistogram:
    return service.histogram(days=days, types=type, min_level=min_level, now=datetime.now(UTC))


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
    service: ActivityServiceDep,
    format: Annotated[ExportFormat, Query(description="The file's format.")] = ExportFormat.CSV,
    days: Days = None,
    type: Types = None,
    min_level: MinLevel = ActivityLevel.INFO,
) -> StreamingResponse:
    now = datetime.now(UTC)
    batches = service.export(days=days, types=type, min_level=min_level, now=now)
    return StreamingResponse(
        encode(format, batches),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{export_filename(format, now)}"'},
    )
