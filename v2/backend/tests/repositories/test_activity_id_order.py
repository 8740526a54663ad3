"""Ids become visible in id order, so a reader tailing the log by id skips nothing: on
PostgreSQL two inserting transactions take their ids and commit one after the other."""

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.repositories import activity as activity_repository

DEADLINE_SECONDS = 10.0


def _rows(label: str, count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [
        {"timestamp": now, "type": "system_event", "level": "info", "message": f"{label} {n}",
         "details": {}}
        for n in range(count)
    ]  # fmt: skip


def _waiting_for_the_lock(engine: Engine) -> bool:
    """Whether some transaction comes to wait for an advisory lock within the deadline: the
    wait shows only in the server's lock table, so it is polled. Only this test's database
    counts: test runs beside this one (other workers) take advisory locks of their own."""
    probe = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    deadline = time.monotonic() + DEADLINE_SECONDS
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            if connection.execute(probe).scalar():
                return True
            connection.rollback()
            time.sleep(0.05)  # sync-ok: the wait shows only in pg_locks, which has no event
    return False


def _tail(sessions: sessionmaker[Session], after: int) -> list[str]:
    with sessions() as session:
        rows = activity_repository.rows_after(
            session, after, through=None, types=None, levels=None, limit=1000
        )
        return [row.message for row in rows]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db_engine = create_db_engine(database_url)
    yield db_engine
    db_engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_second_writer_draws_its_ids_only_after_the_first_commits(engine: Engine) -> None:
    sessions = create_session_factory(engine)
    first = sessions()
    first.begin()
    activity_repository.insert_rows(first, _rows("first", 3))

    def second_writer() -> None:
        with sessions.begin() as session:
            activity_repository.insert_rows(session, _rows("second", 2))

    writer = threading.Thread(target=second_writer)
    writer.start()
    try:
        # Without the lock the second writer would draw ids above the first's and commit
        # first: a tailer reading now would move past ids that appear later.
        assert _waiting_for_the_lock(engine)
        assert _tail(sessions, 0) == []
    finally:
        first.commit()
        first.close()
        writer.join(DEADLINE_SECONDS)
    assert _tail(sessions, 0) == ["first 0", "first 1", "first 2", "second 0", "second 1"]
