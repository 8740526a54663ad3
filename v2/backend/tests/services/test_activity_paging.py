"""Keyset paging returns every row exactly once, newest first, on both databases."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.models import ActivityLog
from app.repositories import activity as activity_repository
from app.services.activity import ActivityService
from app.services.config import ConfigService
from app.utils.activity import ActivityRecorder, ActivityType

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TYPES = [t.value for t in ActivityType]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db_engine = create_db_engine(database_url)
    yield db_engine
    db_engine.dispose()


@pytest.fixture
def service(engine: Engine) -> ActivityService:
    sessions = create_session_factory(engine)
    # Paging never records anything; a recorder without exporters is enough.
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer("test"))
    return ActivityService(sessions, ConfigService(sessions, recorder))


def _insert(sessions: sessionmaker[Session], rows: list[tuple[int, str]]) -> None:
    """Rows as (seconds before NOW, type); few distinct seconds, so timestamps tie often."""
    with sessions.begin() as session:
        activity_repository.insert_rows(
            session,
            [
                {
                    "timestamp": NOW - timedelta(seconds=seconds),
                    "type": kind,
                    "level": "info",
                    "message": f"{seconds}s",
                    "details": {},
                }
                for seconds, kind in rows
            ],
        )


def _walk(
    service: ActivityService, *, limit: int, types: list[ActivityType] | None = None
) -> Iterator[list[int]]:
    cursor = None
    while True:
        page = service.recent(days=30, types=types, limit=limit, cursor=cursor, now=NOW)
        yield [item.id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return


def _expected(engine: Engine, types: list[str] | None = None) -> list[int]:
    with Session(engine) as session:
        rows = session.query(ActivityLog).all()
    keyed = [(row.timestamp, row.id) for row in rows if types is None or row.type in types]
    return [row_id for _, row_id in sorted(keyed, reverse=True)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(TYPES)), max_size=40),
    limit=st.integers(1, 12),
    types=st.none() | st.lists(st.sampled_from(list(ActivityType)), min_size=1, unique=True),
)
def test_walking_every_page_returns_each_row_once_newest_first(
    engine: Engine,
    service: ActivityService,
    rows: list[tuple[int, str]],
    limit: int,
    types: list[ActivityType] | None,
) -> None:
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        session.execute(delete(ActivityLog))
    _insert(sessions, rows)

    pages = list(_walk(service, limit=limit, types=types))

    walked = [row_id for page in pages for row_id in page]
    assert walked == _expected(engine, [t.value for t in types] if types else None)
    assert all(len(page) == limit for page in pages[:-1])


def test_rows_arriving_while_walking_never_repeat_or_hide_older_rows(
    engine: Engine, service: ActivityService
) -> None:
    sessions = create_session_factory(engine)
    _insert(sessions, [(seconds, "scrape") for seconds in range(10, 30)])
    original = _expected(engine)

    walked: list[int] = []
    for page in _walk(service, limit=3):
        walked += page
        # Newer rows land on top between page loads, as a live log does.
        _insert(sessions, [(0, "scrape")])

    assert walked == original
