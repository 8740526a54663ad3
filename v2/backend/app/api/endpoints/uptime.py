"""Uptime: each peer's and task's state history, read from the stored state changes."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import UptimeDep
from app.schemas.uptime import UptimeRead

router = APIRouter(tags=["uptime"])


@router.get(
    "/uptime",
    summary="Uptime of every peer and task: state now, ratio, a bucket per day (per hour for"
    " up to 2 days) and incidents",
)
def read_uptime(
    service: UptimeDep,
    days: Annotated[
        int,
        Query(
            ge=1,
            le=90,
            description="The window, in days up to now (1-90). Up to 2 gives hourly buckets.",
        ),
    ] = 30,
) -> UptimeRead:
    return service.view(days=days, now=datetime.now(UTC))
