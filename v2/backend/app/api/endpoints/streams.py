"""What played: stream sessions over the last days, and one stream's samples."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.api.deps import StreamSessionsDep
from app.schemas.errors import ErrorMessage
from app.schemas.peers import StreamHistory, StreamSamples

router = APIRouter(prefix="/streams", tags=["streams"])

Days = Annotated[int, Query(ge=1, le=30, description="Days back, 1 to 30.")]
Hours = Annotated[int, Query(ge=1, le=720, description="Hours back, 1 to 720 (30 days).")]
StreamId = Annotated[
    str,
    Path(
        pattern="^[0-9a-fA-F]{40}$",
        description="The stream's content id or infohash: 40 hex characters, any case.",
    ),
]


@router.get(
    "/history",
    summary="The streams that played in the last days, and how many at once per hour or day",
)
def stream_history(streams: StreamSessionsDep, days: Days = 1) -> StreamHistory:
    return streams.history(days, datetime.now(UTC))


@router.get(
    "/{stream_id}/samples",
    summary="One stream's samples (clients, peers, speeds), oldest first",
    responses={404: {"model": ErrorMessage, "description": "Neither a stream seen nor a channel"}},
)
def stream_samples(
    streams: StreamSessionsDep, stream_id: StreamId, hours: Hours = 1
) -> StreamSamples:
    return streams.samples(stream_id, hours, datetime.now(UTC))
