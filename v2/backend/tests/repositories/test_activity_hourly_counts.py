"""The stored hourly counts stay equal to a recount of the log through writes and purges."""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine
from app.models import ActivityHourlyCount
from app.repositories import activity as activity_repository
from app.repositories.activity import HourlyCounts

NOW = datetime(2026, 11, 24, 12, 30, tzinfo=UTC)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def _row(minutes_ago: int, kind: str, level: str = "info") -> dict[str, object]:
    return {
        "timestamp": NOW - timedelta(minutes=minutes_ago),
        "type": kind,
        "level": level,
        "message": "m",
        "details": {},
        "user": None,
    }


def _stored(session: Session) -> HourlyCounts:
    return activity_repository.stored_hourly_counts(session, since_hour=EPOCH, types=None)


def _recount(session: Session) -> HourlyCounts:
    return activity_repository.count_by_hour(
        session, since=EPOCH, until=NOW + timedelta(days=1), types=None
    )


def test_counts_follow_inserts_across_batches_and_purges_batch_by_batch(
    sessions: sessionmaker[Session],
) -> None:
    kinds = ["scrape", "error", "background_task"]
    levels = ["info", "warning", "info", "error"]
    batches = [
        [_row(minutes, kinds[minutes % 3], levels[minutes % 4]) for minutes in range(start, 600, 7)]
        for start in range(3)
    ]
    for batch in batches:
        with sessions.begin() as session:
            activity_repository.insert_rows(session, batch)
    with sessions() as session:
        stored = _stored(session)
        assert stored == _recount(session)
    assert sum(stored.values()) == sum(len(batch) for batch in batches)
    assert (datetime(2026, 11, 24, 12, tzinfo=UTC), "scrape", "info") in stored
    assert {level for _hour, _kind, level in stored} == {"info", "warning", "error"}

    cutoff = NOW - timedelta(minutes=200)  # inside an hour: that hour is purged in part
    while True:
        with sessions.begin() as session:
            if activity_repository.delete_batch_before(session, cutoff, batch_size=10) < 10:
                break

    with sessions() as session:
        assert _stored(session) == _recount(session)
        assert min(hour for hour, _kind, _level in _stored(session)) == activity_repository.hour_of(
            cutoff
        )
        # Hours emptied by the purge leave no zero rows behind.
        assert (session.scalar(select(func.min(ActivityHourlyCount.count))) or 0) > 0


def test_rebuilding_counts_rows_written_around_the_repository(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        activity_repository.insert_rows(session, [_row(5, "scrape"), _row(65, "error", "error")])
        session.execute(update(ActivityHourlyCount).values(count=99))  # counts gone wrong
        activity_repository.rebuild_hourly_counts(session)

    with sessions() as session:
        assert _stored(session) == Counter(
            {
                (datetime(2026, 11, 24, 12, tzinfo=UTC), "scrape", "info"): 1,
                (datetime(2026, 11, 24, 11, tzinfo=UTC), "error", "error"): 1,
            }
        )
