"""SQL for the activity log. Functions take a session, never commit, never raise HTTP errors."""

import functools
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CursorResult,
    Integer,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session

from app.models import ActivityHourlyCount, ActivityLog
from app.models.activity import PROBLEMS_ONLY
from app.models.types import UTCDateTime
from app.repositories.upsert import upsert

# Rows per (UTC hour, type, level).
HourlyCounts = Counter[tuple[datetime, str, str]]

_HOURLY = cast(Table, ActivityHourlyCount.__table__)


def hour_of(moment: datetime) -> datetime:
    """The start of the UTC hour `moment` falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# Held by every transaction that inserts activity, from before its ids are drawn until it
# ends (any 64-bit key no other code takes; these are "acti" in ASCII).
_ID_ORDER_LOCK = 0x61637469
_TAKE_ID_ORDER_LOCK = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_ID_ORDER_LOCK)


def insert_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows in one round trip, and count them into their hours.

    Each row has every column but `id`; `user`, `trace_id` and `span_id` may be left out.

    Ids become visible in id order, so a reader that has seen row N will never see a row
    below N appear later (what the live stream's tailer relies on). On PostgreSQL two
    transactions could otherwise draw ids 150 and 160 and commit 160 first; a
    transaction-level advisory lock taken before the ids are drawn, and released at commit
    or rollback, makes inserting transactions take their ids and commit one after another.
    SQLite has one writer at a time already.
    """
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_TAKE_ID_ORDER_LOCK)
        _copy_rows(session, rows)
    else:
        # A Core insert: the ORM's bulk path splits a batch into one INSERT per run of rows
        # with the same NULL columns (measured 11.6 -> 9.1 us per row on SQLite).
        session.execute(insert(cast(Table, ActivityLog.__table__)), list(rows))
    _add_hourly_counts(
        session, Counter((hour_of(r["timestamp"]), r["type"], r["level"]) for r in rows)
    )


_LOG = cast(Table, ActivityLog.__table__)
_UPDATE_DETAILS = (
    update(_LOG)
    .where(
        _LOG.c.type == bindparam("row_type"),
        _LOG.c.timestamp == bindparam("row_timestamp", type_=_LOG.c.timestamp.type),
        _LOG.c.span_id == bindparam("row_span_id"),
    )
    .values(details=bindparam("new_details", type_=_LOG.c.details.type))
)


def update_details(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Overwrite the `details` of rows already inserted, found by (type, timestamp, span_id).

    The exporter does not learn the ids of the rows it inserts (COPY returns none); those
    three columns find a row through the (type, timestamp, id) index, reading only the rows
    of that instant. A row that is gone (purged, never stored) is left alone.
    """
    if rows:
        session.execute(
            _UPDATE_DETAILS,
            [
                {
                    "row_type": row["type"],
                    "row_timestamp": row["timestamp"],
                    "row_span_id": row.get("span_id"),
                    "new_details": row["details"],
                }
                for row in rows
            ],
        )


_TIMESTAMP = UTCDateTime()
_COPY_ACTIVITY = (
    'COPY activity_log ("timestamp", type, level, message, details, "user", trace_id, span_id)'
    " FROM STDIN"
)


def _copy_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL's bulk load, through psycopg on the session's own connection (so inside its
    transaction): 15-18 us per row against 28-36 for an executemany INSERT, measured side by
    side (docs/performance.md, section 2).

    Values go through the column types' own conversions, and errors come out as SQLAlchemy's
    (StatementError for a refused value, OperationalError for a lost database), as from any
    other statement.
    """
    import psycopg  # only PostgreSQL copies: SQLite never loads the driver

    dialect = session.get_bind().dialect
    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(_COPY_ACTIVITY) as copy:
            for row in rows:
                copy.write_row(
                    (
                        _TIMESTAMP.process_bind_param(row["timestamp"], dialect),
                        row["type"],
                        row["level"],
                        row["message"],
                        json.dumps(row["details"]),
                        row.get("user"),
                        row.get("trace_id"),
                        row.get("span_id"),
                    )
                )
    except psycopg.Error as exc:
        lost = dialect.is_disconnect(cast(Any, exc), driver, None)
        if lost:  # as SQLAlchemy does: the pool must not hand this connection out again
            connection.invalidate(exc)
        raise DBAPIError.instance(
            _COPY_ACTIVITY, None, exc, psycopg.Error, connection_invalidated=lost
        ) from exc
    except (ValueError, TypeError) as exc:  # a value a column type refuses
        raise StatementError(str(exc), _COPY_ACTIVITY, None, exc) from exc


def _add_hourly_counts(session: Session, counts: HourlyCounts) -> None:
    # Sorted, so that two writers adding to the same hours lock them in the same order.
    rows = [
        {"hour": hour, "type": kind, "level": level, "count": n}
        for (hour, kind, level), n in sorted(counts.items())
    ]
    upsert(
        session,
        ActivityHourlyCount,
        rows,
        keys=[ActivityHourlyCount.hour, ActivityHourlyCount.type, ActivityHourlyCount.level],
        on_conflict=lambda excluded: {"count": _HOURLY.c.count + excluded.count},
    )


def _subtract_hourly_counts(session: Session, counts: HourlyCounts) -> None:
    decrement = (
        update(_HOURLY)
        .where(
            _HOURLY.c.hour == bindparam("gone_hour"),
            _HOURLY.c.type == bindparam("gone_type"),
            _HOURLY.c.level == bindparam("gone_level"),
        )
        .values(count=_HOURLY.c.count - bindparam("gone"))
    )
    session.execute(
        decrement,
        [
            {"gone_hour": hour, "gone_type": kind, "gone_level": level, "gone": n}
            for (hour, kind, level), n in counts.items()
        ],
    )
    session.execute(delete(_HOURLY).where(_HOURLY.c.count <= 0))


# Spelt as the partial index's condition, with the value in the SQL text: SQLite and a
# prepared PostgreSQL plan can only use the index when they see this very term.
_PROBLEM_ROWS = text(PROBLEMS_ONLY)


def _level_filter(levels: Sequence[str]) -> ColumnElement[bool]:
    """Rows of one of `levels`; without info among them, through the problems index."""
    return _through_problems_index(ActivityLog.level.in_(levels), with_info="info" in levels)


def _through_problems_index(chosen: ColumnElement[bool], *, with_info: bool) -> ColumnElement[bool]:
    """`chosen` (a level condition), joined with the problems index's own condition when
    the levels leave info out, so that the index can serve it."""
    return chosen if with_info else and_(_PROBLEM_ROWS, chosen)


def list_page(
    session: Session,
    *,
    since: datetime,
    types: Sequence[str] | None,
    levels: Sequence[str] | None,
    before: tuple[datetime, int] | None,
    limit: int,
) -> list[Row[Any]]:
    """Return up to `limit` rows at or after `since`, newest first by (timestamp, id), as
    plain rows (the columns by name).

    With `before`, only rows strictly older than that (timestamp, id) key: a keyset page,
    which costs the same at any depth because the indexes lead to it directly. `types` and
    `levels` (None: all) narrow the rows; levels without info walk the problems indexes.

    Plain rows, not ORM objects: building an object per row was about half the time of
    reading a page of 50 (cProfile, `bench/profile_request.py`) and a fifth of an export's
    CPU time (30 000 rows: CSV 4.8 -> 4.0 s); nothing reads a page to change it.
    """
    page = _keyset_page(bool(types), None if not levels else "info" in levels, before is not None)
    values: dict[str, Any] = {"since": since, "limit": limit}
    if types:
        values["types"] = list(types)
    if levels:
        values["levels"] = list(levels)
    if before is not None:
        values["before_timestamp"], values["before_id"] = before
    # On the session's connection: a Core statement needs none of the ORM's execution steps.
    return list(session.connection().execute(page, values))


@functools.cache
def _keyset_page(by_type: bool, with_info: bool | None, keyset: bool) -> Select[Any]:
    """The page's statement for one shape of filter, built once, with its values as bind
    parameters: building it per request was about 7 % of a page's CPU (cProfile).

    `with_info` is None for every level, else whether info is among the levels (without
    it the statement names the problems index's condition).
    """
    statement = select(*_LOG.c).where(ActivityLog.timestamp >= bindparam("since"))
    if by_type:
        statement = statement.where(ActivityLog.type.in_(bindparam("types", expanding=True)))
    if with_info is not None:
        chosen = ActivityLog.level.in_(bindparam("levels", expanding=True))
        statement = statement.where(_through_problems_index(chosen, with_info=with_info))
    if keyset:
        before = tuple_(
            bindparam("before_timestamp", type_=UTCDateTime()),
            bindparam("before_id", type_=BigInteger()),
        )
        statement = statement.where(tuple_(ActivityLog.timestamp, ActivityLog.id) < before)
    return statement.order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc()).limit(
        bindparam("limit", type_=Integer())
    )


def last_id(session: Session) -> int:
    """The highest id in the log, 0 when it is empty (a read of the primary key's end)."""
    return session.scalar(select(func.max(ActivityLog.id))) or 0


def rows_after(
    session: Session,
    after: int,
    *,
    through: int | None,
    types: Sequence[str] | None,
    levels: Sequence[str] | None,
    limit: int,
) -> list[ActivityLog]:
    """Up to `limit` rows with `after < id <= through` (no upper bound when `through` is None),
    oldest first by id, of the given types and levels (any when None or empty).

    Walks the primary key from `after`: the cost follows the rows read, not the table.
    """
    statement = select(ActivityLog).where(ActivityLog.id > after)
    if through is not None:
        statement = statement.where(ActivityLog.id <= through)
    if types:
        statement = statement.where(ActivityLog.type.in_(types))
    if levels:
        statement = statement.where(ActivityLog.level.in_(levels))
    return list(session.scalars(statement.order_by(ActivityLog.id).limit(limit)))


def _older_than(cutoff: datetime) -> ColumnElement[bool]:
    """The rows retention deletes: stored before `cutoff`."""
    return ActivityLog.timestamp < cutoff


def count_before(session: Session, cutoff: datetime) -> int:
    """How many rows `delete_batch_before` would delete, batch after batch, for `cutoff`."""
    return (
        session.scalar(select(func.count()).select_from(ActivityLog).where(_older_than(cutoff)))
        or 0
    )


def delete_batch_before(session: Session, cutoff: datetime, *, batch_size: int) -> int:
    """Delete up to `batch_size` of the oldest rows older than `cutoff`; return how many.

    Small batches keep each transaction (and, on SQLite, the write lock) short, so readers
    and the activity exporter are never held up for long. The id subquery walks the
    (timestamp, id) index from the oldest end.
    """
    oldest = (
        select(ActivityLog.id)
        .where(_older_than(cutoff))
        .order_by(ActivityLog.timestamp, ActivityLog.id)
        .limit(batch_size)
    )
    gone = _count_by_hour(session, ActivityLog.id.in_(oldest), types=None, levels=None)
    # No session sync: the ORM would add RETURNING and walk every deleted id in Python,
    # holding the GIL readers need (14.5 vs 1.6 ms of CPU per 5 000-row batch).
    statement = (
        delete(ActivityLog)
        .where(ActivityLog.id.in_(oldest))
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    if gone:
        _subtract_hourly_counts(session, gone)
    return result.rowcount


def count_by_hour(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    types: Sequence[str] | None,
    levels: Sequence[str] | None = None,
) -> HourlyCounts:
    """Rows per (UTC hour, type, level) with `since <= timestamp < until`, counted in the
    log; `types` and `levels` (None: all) narrow them.

    Every row is read: meant for less than an hour of activity, the rest of a histogram
    comes from `stored_hourly_counts`.
    """
    window = (ActivityLog.timestamp >= since) & (ActivityLog.timestamp < until)
    return _count_by_hour(session, window, types=types, levels=levels)


def _count_by_hour(
    session: Session,
    where: ColumnElement[bool],
    *,
    types: Sequence[str] | None,
    levels: Sequence[str] | None,
) -> HourlyCounts:
    # The dialects spell "truncate to the hour" differently: SQLite stores UTC text;
    # PostgreSQL truncates in the session's zone unless told UTC.
    if session.get_bind().dialect.name == "postgresql":
        start: Any = func.date_trunc("hour", func.timezone("UTC", ActivityLog.timestamp))
    else:
        start = func.strftime("%Y-%m-%d %H:00:00", ActivityLog.timestamp)
    statement = (
        select(start, ActivityLog.type, ActivityLog.level, func.count())
        .where(where)
        .group_by(start, ActivityLog.type, ActivityLog.level)
    )
    if types:
        statement = statement.where(ActivityLog.type.in_(types))
    if levels:
        statement = statement.where(_level_filter(levels))
    counts: HourlyCounts = Counter()
    for hour, kind, level, count in session.execute(statement):
        when = datetime.fromisoformat(hour) if isinstance(hour, str) else hour
        counts[(when.replace(tzinfo=UTC), kind, level)] = count
    return counts


def stored_hourly_counts(
    session: Session,
    *,
    since_hour: datetime,
    types: Sequence[str] | None,
    levels: Sequence[str] | None = None,
) -> HourlyCounts:
    """Rows per (UTC hour, type, level) for every hour from `since_hour` on, as kept in step
    with the log: a few hundred rows to read for a week, whatever the log holds. `types` and
    `levels` (None: all) narrow them."""
    statement = select(
        ActivityHourlyCount.hour,
        ActivityHourlyCount.type,
        ActivityHourlyCount.level,
        ActivityHourlyCount.count,
    ).where(ActivityHourlyCount.hour >= since_hour)
    if types:
        statement = statement.where(ActivityHourlyCount.type.in_(types))
    if levels:
        statement = statement.where(ActivityHourlyCount.level.in_(levels))
    return Counter(
        {(hour, kind, level): count for hour, kind, level, count in session.execute(statement)}
    )


def rebuild_hourly_counts(session: Session) -> None:
    """Count the whole log into `activity_hourly_counts` again, for rows that were written
    around the repository (bulk loads, benchmarks' seeding)."""
    session.execute(delete(_HOURLY))
    counts = _count_by_hour(session, true(), types=None, levels=None)
    _add_hourly_counts(session, counts)


def count_activity_since(session: Session, type: str, since: datetime) -> int:
    """Activity rows of `type` stored from `since` on."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ActivityLog)
            .where(ActivityLog.type == type, ActivityLog.timestamp >= since)
        )
        or 0
    )
