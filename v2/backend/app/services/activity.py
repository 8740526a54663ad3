"""Reading the activity log: time window, type and level filters, keyset cursors, and the
batches of an export."""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session, sessionmaker

from app.exceptions import InvalidInput
from app.repositories import activity as activity_repository
from app.schemas.activity import ActivityHistogram, ActivityPage, ActivityRead, HistogramBucket
from app.services.config import ConfigService
from app.utils.activity import ActivityLevel, ActivityType
from app.utils.ttl_cache import TtlCache

# Row ids are signed 64-bit on both databases (BIGINT, SQLite's INTEGER): a larger key in a
# cursor cannot have come from us, and the driver would fail to bind it.
MAX_ROW_ID = 2**63 - 1
# Rows per read of an export: each is its own short transaction.
EXPORT_BATCH_ROWS = 1_000


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


def bucket_seconds(days: int) -> int:
    """The histograms' bucket for a period of `days`: an hour up to 2 days, else a day."""
    return 86400 if days > 2 else 3600


def bucket_start(moment: datetime, seconds: int) -> datetime:
    """The start of the UTC bucket (hour or day, see `bucket_seconds`) `moment` falls in."""
    hour = activity_repository.hour_of(moment)
    return hour.replace(hour=0) if seconds == 86400 else hour


def levels_from(min_level: ActivityLevel) -> list[str] | None:
    """The levels at `min_level` or above, for the repository; None (every row) for info."""
    order = list(ActivityLevel)
    if min_level is order[0]:
        return None
    return [level.value for level in order[order.index(min_level) :]]


@dataclass(frozen=True, slots=True)
class _Filter:
    """Which rows a read shows, as the repository takes it."""

    since: datetime
    types: list[str] | None
    levels: list[str] | None


class ActivityService:
    def __init__(self, session_factory: sessionmaker[Session], config: ConfigService) -> None:
        self._session_factory = session_factory
        self._config = config
        self._histograms: TtlCache[
            tuple[int, tuple[ActivityType, ...], ActivityLevel], ActivityHistogram
        ] = TtlCache(ttl_seconds=2.0)

    def _filter(
        self,
        days: int | None,
        types: Sequence[ActivityType] | None,
        min_level: ActivityLevel,
        now: datetime,
    ) -> _Filter:
        """`days=None` uses the retention setting."""
        if days is None:
            days = self._config.get().retention_days
        return _Filter(
            since=window_start(days, now),
            types=[t.value for t in types] if types else None,
            levels=levels_from(min_level),
        )

    def recent(
        self,
        *,
        days: int | None,
        types: Sequence[ActivityType] | None,
        limit: int,
        cursor: str | None,
        now: datetime,
        min_level: ActivityLevel = ActivityLevel.INFO,
    ) -> ActivityPage:
        """One page of activity newest first; `days=None` uses the retention setting, and
        `min_level` leaves out the rows below it.

        `next_cursor` is None exactly when no older row matches.
        """
        before = decode_cursor(cursor) if cursor is not None else None
        where = self._filter(days, types, min_level, now)
        rows = self._batch(where, before, limit + 1)
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].timestamp, rows[-1].id) if has_more else None
        return ActivityPage(
            items=[ActivityRead.model_validate(row) for row in rows], next_cursor=next_cursor
        )

    def export(
        self,
        *,
        days: int | None,
        types: Sequence[ActivityType] | None,
        min_level: ActivityLevel,
        now: datetime,
        batch_size: int = EXPORT_BATCH_ROWS,
    ) -> Iterator[list[ActivityRead]]:
        """Every row `recent` would page through, newest first, in batches of `batch_size`.

        Each batch is a short read of its own (a fresh session; a keyset page after the
        previous batch's last row), so a slow download never holds a transaction open and
        memory stays one batch whatever the rows. The first batch is read before this
        returns: an unavailable database fails the request, not a download already under way.
        No row comes twice; rows stored meanwhile may or may not be part of it.
        """
        where = self._filter(days, types, min_level, now)
        return self._batches(where, self._batch(where, None, batch_size), batch_size)

    def _batch(
        self, where: _Filter, before: tuple[datetime, int] | None, batch_size: int
    ) -> list[Row[Any]]:
        with self._session_factory() as session:
            return activity_repository.list_page(
                session,
                since=where.since,
                types=where.types,
                levels=where.levels,
                before=before,
                limit=batch_size,
            )

    def _batches(
        self, where: _Filter, rows: list[Row[Any]], batch_size: int
    ) -> Iterator[list[ActivityRead]]:
        while rows:
            yield [ActivityRead.model_validate(row) for row in rows]
            if len(rows) < batch_size:
                return
            rows = self._batch(where, (rows[-1].timestamp, rows[-1].id), batch_size)

    def histogram(
        self,
        *,
        days: int | None,
        types: Sequence[ActivityType] | None,
        now: datetime,
        min_level: ActivityLevel = ActivityLevel.INFO,
    ) -> ActivityHistogram:
        """Counts per type, and per problem level, in hourly buckets for up to 2 days, daily
        buckets beyond; `min_level` leaves out the rows below it.

        Answers are reused for a couple of seconds: every dashboard asks the same question,
        and counting a day of activity is the dearest read the page makes.
        """
        if days is None:
            days = self._config.get().retention_days
        key = (days, tuple(sorted(types or ())), min_level)
        return self._histograms.get_or_compute(
            key, lambda: self._count(days, self._filter(days, types, min_level, now))
        )

    def _count(self, days: int, where: _Filter) -> ActivityHistogram:
        """Whole hours from the stored hourly counts; the window's first, partial hour
        counted from the log itself (its earlier rows are outside the window)."""
        first_whole_hour = activity_repository.hour_of(where.since)
        if first_whole_hour < where.since:
            first_whole_hour += timedelta(hours=1)
        with self._session_factory() as session:
            counts = activity_repository.count_by_hour(
                session,
                since=where.since,
                until=first_whole_hour,
                types=where.types,
                levels=where.levels,
            )
            counts += activity_repository.stored_hourly_counts(
                session, since_hour=first_whole_hour, types=where.types, levels=where.levels
            )
        seconds = bucket_seconds(days)
        by_type: dict[datetime, dict[ActivityType, int]] = {}
        by_level: dict[datetime, dict[ActivityLevel, int]] = {}
        for (hour, activity_type, level), count in sorted(counts.items()):
            start = bucket_start(hour, seconds)
            types_seen = by_type.setdefault(start, {})
            kind = ActivityType(activity_type)
            types_seen[kind] = types_seen.get(kind, 0) + count
            levels_seen = by_level.setdefault(start, {})
            if level != ActivityLevel.INFO:
                problem = ActivityLevel(level)
                levels_seen[problem] = levels_seen.get(problem, 0) + count
        return ActivityHistogram(
            bucket_seconds=seconds,
            buckets=[
                HistogramBucket(start=start, counts=counts, levels=by_level[start])
                for start, counts in by_type.items()
            ],
        )
