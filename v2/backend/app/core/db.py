"""Database engine and session factory, built per app (never at import time)."""

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic_core import from_json
from sqlalchemy import Engine, create_engine, event, literal, make_url, select, text
from sqlalchemy.exc import InvalidatePoolError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from app.core.migrations import head_revision
from app.models import Base

# SQLite waits this long for a competing writer before giving up with "database is locked".
_SQLITE_BUSY_TIMEOUT_MS = 5000
# A checkpoint leaves the WAL file at its largest size (a purge of a million rows writes
# hundreds of MB to it); past this size SQLite truncates it when it starts over.
_SQLITE_WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
# How every SQLite database file starts (https://www.sqlite.org/fileformat.html#magic_header_string).
_SQLITE_MAGIC = b"SQLite format 3\x00"
# Where a pooled SQLite connection keeps the identity of the file it opened.
_FILE_IDENTITY = "sqlite_file_identity"


class DatabaseNotReady(Exception):
    """The database answers, but not with what the API needs; the message says what is wrong."""


def create_db_engine(url: str) -> Engine:
    """Create the engine for `url`; for an SQLite file, create its folder and enable WAL.

    WAL lets the API read while the activity exporter writes; `synchronous=NORMAL` is the
    documented safe pairing with WAL and avoids an fsync per transaction.

    JSON columns are parsed with pydantic's parser (the same values as `json.loads`, about
    three times faster: a page of 50 activity rows parses 50 `details` documents).

    `hide_parameters` keeps statement parameters out of every database error's text: that
    text becomes a task's `last_error`, an activity row and a log line, and the parameters
    are outside data (a password in a URL, a token) that no redaction pattern can know.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            hide_parameters=True,
            json_deserializer=from_json,
        )

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        hide_parameters=True,
        json_deserializer=from_json,
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA journal_size_limit = {_SQLITE_WAL_SIZE_LIMIT_BYTES}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    _guard_sqlite_file(engine, parsed.database)
    return engine


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _guard_sqlite_file(engine: Engine, database: str | None) -> None:
    """Use the SQLite file the service started on, or none: never an unlinked or a new one.

    A connection keeps its file open by inode: deleting the file under a running service
    left the pooled connections writing to the unlinked inode, so every change answered 200
    and was lost with the last connection, and /readyz still said ready. So the service
    creates its file only here, at start; connections open it read-write without creating
    it (`mode=rw`) and read its header, which fails for a deleted or corrupted file; and each
    checkout compares the file at the path with the one the connection opened, dropping every
    pooled connection when they differ. The reconnection then fails with the reason, which
    the API answers as a 503. A file restored at the path is simply opened again.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return  # memory databases have no file; a URI names its own open flags
    path = Path(database).resolve()
    path.touch(exist_ok=True)
    uri = f"file:{quote(str(path))}?mode=rw"

    @event.listens_for(engine, "do_connect")
    def _open_existing_file(
        dialect: Any, record: ConnectionPoolEntry, _cargs: Any, cparams: dict[str, Any]
    ) -> Any:
        connection = None
        try:
            connection = dialect.loaded_dbapi.connect(uri, **{**cparams, "uri": True})
            connection.execute("PRAGMA schema_version")  # reads the header
            identity = _file_identity(path)
            if identity is None:
                raise sqlite3.DatabaseError("file is not a database")
        except sqlite3.DatabaseError as exc:
            if connection is not None:
                connection.close()
            reason = "it no longer exists" if not path.exists() else str(exc)
            # An OperationalError is what the API answers with a 503 ("unavailable right now").
            raise sqlite3.OperationalError(
                f"cannot use the database file {path}: {reason}"
            ) from exc
        record.info[_FILE_IDENTITY] = identity
        return connection

    @event.listens_for(engine, "checkout")
    def _check_same_file(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if _file_identity(path) != record.info.get(_FILE_IDENTITY):
            raise InvalidatePoolError(f"the database file {path} was deleted, replaced or damaged")


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the SQLite file at `path`; None if it is missing or not SQLite.

    An empty file is SQLite's new database (in WAL mode it stays empty until a checkpoint).
    """
    try:
        with path.open("rb") as file:
            status = os.fstat(file.fileno())
            head = file.read(len(_SQLITE_MAGIC))
    except OSError:
        return None
    if head not in (b"", _SQLITE_MAGIC):
        return None
    return status.st_dev, status.st_ino


def check_database(engine: Engine) -> None:
    """Check that the database holds what the API needs.

    Raise the driver's error (an SQLAlchemyError) if the database cannot be reached, and
    DatabaseNotReady if its schema is not at the migrations' head or a table cannot be read
    (dropped, or a damaged file). One cheap query per table.
    """
    with engine.connect() as connection:
        try:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            for table in Base.metadata.sorted_tables:
                connection.execute(select(literal(1)).select_from(table).limit(1))
        except SQLAlchemyError as exc:
            first_line = str(exc).splitlines()[0]
            raise DatabaseNotReady(f"the schema cannot be read: {first_line}") from exc
    if revision != head_revision():
        raise DatabaseNotReady(
            f"the schema is at revision {revision}, this service needs {head_revision()}"
        )
