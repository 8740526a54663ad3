from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ActivityServiceDep
from app.schemas.activity import ActivityHistogram, ActivityPage
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
