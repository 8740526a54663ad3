"""SQL for the activity log. Functions take a session, never commit, never raise HTTP errors."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import CursorResult, Table, delete, func, insert, select, tuple_
from sqlalchemy.orm import Session

from app.models import ActivityLog


def insert_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows in one executemany round trip."""
    if rows:
        # A Core insert: the ORM's bulk path splits a batch into one INSERT per run of rows
        # with the same NULL columns (measured 25.6 -> 16.9 us per row on PostgreSQL).
        session.execute(insert(cast(Table, ActivityLog.__table__)), list(rows))


def list_page(
    session: Session,
    *,
    since: datetime,
    types: Sequence[str] | None,
    before: tuple[datetime, int] | None,
    limit: int,
) -> list[ActivityLog]:
    """Return up to `limit` rows at or after `since`, newest first by (timestamp, id).

    With `before`, only rows strictly older than that (timestamp, id) key: a keyset page,
    which costs the same at any depth because both indexes lead to it directly.
    """
    statement = select(ActivityLog).where(ActivityLog.timestamp >= since)
    if types:
        statement = statement.where(ActivityLog.type.in_(types))
    if before is not None:
        statement = statement.where(tuple_(ActivityLog.timestamp, ActivityLog.id) < tuple_(*before))
    statement = statement.order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc()).limit(limit)
    return list(session.scalars(statement))


def delete_batch_before(session: Session, cutoff: datetime, *, batch_size: int) -> int:
    """Delete up to `batch_size` of the oldest rows older than `cutoff`; return how many.

    Small batches keep each transaction (and, on SQLite, the write lock) short, so readers
    and the activity exporter are never held up for long. The id subquery walks the
    (timestamp, id) index from the oldest end.
    """
    oldest = (
        select(ActivityLog.id)
        .where(ActivityLog.timestamp < cutoff)
        .order_by(ActivityLog.timestamp, ActivityLog.id)
        .limit(batch_size)
    )
    # No session sync: the ORM would add RETURNING and walk every deleted id in Python,
    # holding the GIL readers need (14.5 vs 1.6 ms of CPU per 5 000-row batch).
    statement = (
        delete(ActivityLog)
        .where(ActivityLog.id.in_(oldest))
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount


def count_by_bucket(
    session: Session,
    *,
    since: datetime,
    types: Sequence[str] | None,
    bucket: Literal["hour", "day"],
) -> list[tuple[datetime, str, int]]:
    """(bucket start in UTC, type, rows) for every non-empty bucket since `since`, oldest first.

    Grouping happens in the database: the dialects spell "truncate to the hour" differently
    (SQLite stores UTC text; PostgreSQL truncates in the session's zone unless told UTC).
    """
    if session.get_bind().dialect.name == "postgresql":
        start: Any = func.date_trunc(bucket, func.timezone("UTC", ActivityLog.timestamp))
    else:
        pattern = "%Y-%m-%d %H:00:00" if bucket == "hour" else "%Y-%m-%d 00:00:00"
        start = func.strftime(pattern, ActivityLog.timestamp)
    statement = (
        select(start.label("start"), ActivityLog.type, func.count())
        .where(ActivityLog.timestamp >= since)
        .group_by(start, ActivityLog.type)
        .order_by(start)
    )
    if types:
        statement = statement.where(ActivityLog.type.in_(types))
    rows = []
    for bucket_start, activity_type, count in session.execute(statement):
        when = (
            datetime.fromisoformat(bucket_start) if isinstance(bucket_start, str) else bucket_start
        )
        rows.append((when.replace(tzinfo=UTC), activity_type, count))
    return rows
