"""Activity written while the cleanup runs and pages are read: nothing kept is lost,
nothing is read twice, and the hourly counts still match the log."""

import threading
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import ActivityLog
from app.repositories import activity as activity_repository
from app.services.retention import RetentionService
from app.utils.activity import ActivityType
from app.wiring import Services

OLD_ROWS = 3_000
NEW_EVENTS = 300


def test_writers_cleanup_and_readers_together_keep_every_fresh_row_once(
    client: TestClient,
) -> None:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    engine = client.app.state.engine  # type: ignore[attr-defined]
    sessions = sessionmaker(engine)
    long_ago = datetime.now(UTC) - timedelta(days=60)
    with sessions.begin() as session:
        activity_repository.insert_rows(
            session,
            [
                {
                    "timestamp": long_ago + timedelta(seconds=index),
                    "type": "scrape",
                    "level": "info",
                    "message": f"old {index}",
                    "details": {},
                }
                for index in range(OLD_ROWS)
            ],
        )
    retention = RetentionService(
        sessions, services.config, services.recorder, services.stream_sessions, batch_size=200
    )
    start = threading.Barrier(3)
    pages: list[list[int]] = []

    def write() -> None:
        start.wait()
        for index in range(NEW_EVENTS):
            services.recorder.record(ActivityType.USER_ACTION, f"new {index}")

    def clean() -> None:
        start.wait()
        retention.purge(datetime.now(UTC))

    def read() -> None:
        start.wait()
        cursor = None
        while True:
            page = services.activity.recent(
                days=30, types=None, limit=25, cursor=cursor, now=datetime.now(UTC)
            )
            pages.append([item.id for item in page.items])
            cursor = page.next_cursor
            if cursor is None:
                return

    threads = [threading.Thread(target=target) for target in (write, clean, read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    read_ids = [row_id for page in pages for row_id in page]
    assert len(read_ids) == len(set(read_ids))
    with Session(engine) as session:
        fresh = session.scalar(select(func.count()).where(ActivityLog.message.like("new %")))
        old = session.scalar(select(func.count()).where(ActivityLog.message.like("old %")))
        # The histogram's hourly counts went through the same writes and deletes, exactly.
        since = datetime(2000, 1, 1, tzinfo=UTC)
        stored = activity_repository.stored_hourly_counts(session, since_hour=since, types=None)
        recount = activity_repository.count_by_hour(
            session, since=since, until=datetime.now(UTC) + timedelta(hours=1), types=None
        )
    assert (fresh, old) == (NEW_EVENTS, 0)
    assert stored == recount
