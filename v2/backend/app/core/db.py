"""Database engine and session factory, built per app (never at import time)."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

# SQLite waits this long for a competing writer before giving up with "database is locked".
_SQLITE_BUSY_TIMEOUT_MS = 5000
# A checkpoint leaves the WAL file at its largest size (a purge of a million rows writes
# hundreds of MB to it); past this size SQLite truncates it when it starts over.
_SQLITE_WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024


def create_db_engine(url: str) -> Engine:
    """Create the engine for `url`; for an SQLite file, create its folder and enable WAL.

    WAL lets the API read while the activity exporter writes; `synchronous=NORMAL` is the
    documented safe pairing with WAL and avoids an fsync per transaction.

    `hide_parameters` keeps statement parameters out of every database error's text: that
    text becomes a task's `last_error`, an activity row and a log line, and the parameters
    are outside data (a password in a URL, a token) that no redaction pattern can know.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
        )

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA journal_size_limit = {_SQLITE_WAL_SIZE_LIMIT_BYTES}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    return engine


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def check_database(engine: Engine) -> None:
    """Run a trivial query; raise the driver's error if the database cannot be reached."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
