"""SQLite engine settings that keep a long-running service's files in shape."""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.core.db import create_db_engine

MB = 1024 * 1024


def test_the_sqlite_wal_shrinks_back_after_a_big_write(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'app.db'}")
    wal = tmp_path / "app.db-wal"
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE blobs (data BLOB)"))
    with engine.begin() as connection:  # as a purge of many rows would
        for _ in range(80):
            connection.execute(text("INSERT INTO blobs VALUES (randomblob(:size))"), {"size": MB})
    grown = wal.stat().st_size

    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint"))
    with engine.begin() as connection:  # the next write starts the WAL over
        connection.execute(text("INSERT INTO blobs VALUES (1)"))
    shrunk = wal.stat().st_size
    engine.dispose()

    assert grown > 80 * MB
    assert shrunk <= 64 * MB


def test_database_errors_do_not_show_statement_parameters(database_url: str) -> None:
    engine = create_db_engine(database_url)
    insert = text("INSERT INTO app_settings (key, value, updated_at) VALUES (:key, :value, :at)")
    row = {"key": "k", "value": '"hunter2-parameter"', "at": "2026-11-24 08:00:00"}
    with engine.begin() as connection:
        connection.execute(insert, row)

    with pytest.raises(IntegrityError) as caught, engine.begin() as connection:
        connection.execute(insert, row)
    engine.dispose()

    assert "hunter2-parameter" not in str(caught.value)
    assert "parameters hidden" in str(caught.value)
