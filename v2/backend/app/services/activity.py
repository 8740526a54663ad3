"""Reading the activity log: time window, type filter and keyset cursors."""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.exceptions import InvalidInput
from app.repositories import activity as activity_repository
from app.schemas.activity import ActivityHistogram, ActivityPage, ActivityRead, HistogramBucket
from app.services.config import ConfigService
from app.utils.activity import ActivityType
from app.utils.ttl_cache import TtlCache

# Row ids are signed 64-bit on both databases (BIGINT, SQLite's INTEGER): a larger key in a
# cursor cannot have come from us, and the driver would fail to bind it.
MAX_ROW_ID = 2**63 - 1


def encode_cursor(timestamp: datetime, row_id: int) -> str:
    """An opaque cursor for the key of the last row on a page."""
    raw = json.dumps([timestamp.astimezone(UTC).isoformat(), row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (timestamp, id) key inside a cursor; InvalidInput if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, row_id = json.loads(raw)
        timestamp = datetime.fromisoformat(stamp)
        if timestamp.tzinfo is None or type(row_id) is not int or not 0 < row_id <= MAX_ROW_ID:
            raise ValueError(cursor)
        # OverflowError: a date at the edge of the calendar that leaves it in UTC (year 9999
        # at -14:00).
        return timestamp.astimezone(UTC), row_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidInput(
            ("query", "cursor"), "is not a cursor returned by this API; start without one"
        ) from None


def window_start(days: int, now: datetime) -> datetime:
    """The oldest moment shown for `days`: 0 means since 00:00 UTC today."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if days == 0 else now - timedelta(days=days)


class ActivityService:
    def __init__(self, session_factory: sessionmaker[Session], config: ConfigService) -> None:
        self._session_factory = session_factory
        self._config = config
        self._histograms: TtlCache[tuple[int, tuple[ActivityType, ...]], ActivityHistogram] = (
            TtlCache(ttl_seconds=2.0)
        )

    def recent(
        self,
        *,
        days: int | None,
        types: Sequence[ActivityType] | None,
        limit: int,
        cursor: str | None,
        now: datetime,
    ) -> ActivityPage:
        """One page of activity newest first; `days=None` uses the retention setting.

        `next_cursor` is None exactly when no older row matches.
        """
        before = decode_cursor(cursor) if cursor is not None else None
        if days is None:
            days = self._config.get().retention_days
        with self._session_factory() as session:
            rows = activity_repository.list_page(
                session,
                since=window_start(days, now),
                types=[t.value for t in types] if types else None,
                before=before,
                limit=limit + 1,
            )
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].timestamp, rows[-1].id) if has_more else None
        return ActivityPage(
            items=[ActivityRead.model_validate(row) for row in rows], next_cursor=next_cursor
        )

    def histogram(
        self, *, days: int | None, types: Sequence[ActivityType] | None, now: datetime
    ) -> ActivityHistogram:
        """Counts per type in hourly buckets for up to 2 days, daily buckets beyond.

        Answers are reused for a couple of seconds: every dashboard asks the same question,
        and counting a day of activity is the dearest read the page makes.
        """
        if days is None:
            days = self._config.get().retention_days
        key = (days, tuple(sorted(types or ())))
        return self._histograms.get_or_compute(key, lambda: self._count(days, types, now))

    def _count(
        self, days: int, types: Sequence[ActivityType] | None, now: datetime
    ) -> ActivityHistogram:
        """Whole hours from the stored hourly counts; the window's first, partial hour
        counted from the log itself (its earlier rows are outside the window)."""
        since = window_start(days, now)
        first_whole_hour = activity_repository.hour_of(since)
        if first_whole_hour < since:
            first_whole_hour += timedelta(hours=1)
        names = [t.value for t in types] if types else None
        with self._session_factory() as session:
            counts = activity_repository.count_by_hour(
                session, since=since, until=first_whole_hour, types=names
            )
            counts += activity_repository.stored_hourly_counts(
                session, since_hour=first_whole_hour, types=names
            )
        daily = days > 2
        buckets: dict[datetime, dict[ActivityType, int]] = {}
        for (hour, activity_type), count in sorted(counts.items()):
            start = hour.replace(hour=0) if daily else hour
            bucket = buckets.setdefault(start, {})
            kind = ActivityType(activity_type)
            bucket[kind] = bucket.get(kind, 0) + count
        return ActivityHistogram(
            bucket_seconds=86400 if daily else 3600,
            buckets=[
                HistogramBucket(start=start, counts=counts) for start, counts in buckets.items()
            ],
        )
