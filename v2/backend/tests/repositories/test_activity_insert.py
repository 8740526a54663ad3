"""Inserting activity: PostgreSQL's COPY path fails the way any other statement does."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.repositories import activity as activity_repository

ROW = {
    "timestamp": datetime(2026, 11, 24, 12, tzinfo=UTC),
    "type": "scrape",
    "level": "info",
    "message": "m",
    "details": {},
}


def test_a_lost_postgresql_connection_surfaces_as_an_operational_error(
    postgres_url: str,
) -> None:
    """The exporter keeps rows for retry on SQLAlchemy's errors; a dead connection under
    COPY must be one of them, not a bare psycopg error, and must leave the pool."""
    engine = create_engine(postgres_url)
    with Session(engine) as session:
        pid = session.scalar(text("SELECT pg_backend_pid()"))
        with engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        with pytest.raises(OperationalError):
            activity_repository.insert_rows(session, [ROW])

    with Session(engine) as session:  # the dead connection is not handed out again
        activity_repository.insert_rows(session, [ROW])
        session.commit()
        assert session.scalar(text("SELECT count(*) FROM activity_log WHERE message = 'm'")) >= 1
    engine.dispose()
