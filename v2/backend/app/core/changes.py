"""Whether the database may have changed since a value was read, for per-replica caches.

A cache takes `stamp()` *before* it reads and keeps what it read while later stamps are
equal; None means "unknown", and a cache then reads every time. A stamp changes only after
the change it stands for is committed, so a value read after a stamp is never older than
the stamp says (at worst newer, which costs one more read).

- SQLite: `PRAGMA data_version` on a connection of the watcher's own, which changes with
  every commit by any other connection, of this process or another
  (https://www.sqlite.org/pragma.html#pragma_data_version): any table, 7 µs a stamp. With
  the file's identity, size and time of change: a file damaged, deleted or replaced under
  the service (`app.core.db`) is read again, and answers what a read of it answers.
- PostgreSQL: the engine notes which watched tables each transaction writes. At its commit
  it sends `NOTIFY acestream_changes` naming them, which PostgreSQL delivers at the commit to
  every replica listening; once the connection is back in the pool (after the commit) it
  also counts them here at once, so this replica reads its own writes without waiting for
  its listener. A listener thread (started by the first `stamp`) counts the other replicas'
  notices; while it is not listening (starting, or reconnecting after the database went
  away) stamps are None, and each time it starts listening every table counts as changed.
  A write made outside the service (by hand in psql) sends no notice: it shows once any
  replica next writes that table.
"""

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, ExecutionContext
from sqlalchemy.pool import ConnectionPoolEntry

logger = logging.getLogger(__name__)

CHANNEL = "acestream_changes"
# Where a pooled PostgreSQL connection keeps the watched tables its transaction wrote, and
# those its committed transactions wrote (counted when it is checked in, after the commit).
_WRITING = "changes_writing"
_COMMITTED = "changes_committed"
_DML = ("insert", "update", "delete")
# How long the listener waits for a notice before it looks whether it should stop.
_LISTEN_TIMEOUT_SECONDS = 0.1
_RECONNECT_SECONDS = 1.0

# Equal stamps: nothing watched was committed in between. None: not known.
Stamp = tuple[int, ...] | None
T = TypeVar("T")


class DatabaseChanges:
    """Stamps of the database's watched tables, for the caches of one replica. This base
    knows of no change: its stamps are None, so caches over it read every time."""

    def watch(self, tables: Iterable[str]) -> None:
        """Track `tables` from now on (a cache's, when it is made)."""

    def stamp(self, tables: Iterable[str]) -> Stamp:
        return None

    def close(self) -> None:
        """Stop watching (and the listener thread, if any)."""


@dataclass(frozen=True)
class _Kept(Generic[T]):
    stamp: tuple[int, ...]
    key: object
    value: T


class CachedRead(Generic[T]):
    """The value a read last answered, kept while the stamp of its tables stays the same."""

    def __init__(self, changes: DatabaseChanges, tables: Iterable[str]) -> None:
        self._changes = changes
        self._tables = tuple(tables)
        changes.watch(self._tables)
        self._lock = threading.Lock()
        self._kept: _Kept[T] | None = None

    def get(
        self,
        read: Callable[[], T],
        *,
        key: object = None,
        still_true: Callable[[T], bool] | None = None,
    ) -> T:
        """The kept value if it was read under the current stamp with an equal `key` (the
        read's other inputs) and `still_true(value)` (for values that age) holds; else
        `read()`, kept for next time."""
        stamp = self._changes.stamp(self._tables)  # before the read: see the module's doc
        kept = self._kept
        if (
            kept is not None
            and stamp is not None
            and kept.stamp == stamp
            and kept.key == key
            and (still_true is None or still_true(kept.value))
        ):
            return kept.value
        value = read()
        if stamp is not None:
            with self._lock:
                self._kept = _Kept(stamp, key, value)
        return value


def watch_changes(engine: Engine) -> DatabaseChanges:
    """The watcher for `engine`'s database: on PostgreSQL of the tables its caches `watch`,
    on SQLite of every table."""
    if engine.dialect.name == "sqlite":
        return _SqliteChanges(engine)
    return _PostgresChanges(engine)


class _SqliteChanges(DatabaseChanges):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._path = engine.url.database
        self._lock = threading.Lock()
        self._connection: Any = None

    def stamp(self, tables: Iterable[str]) -> Stamp:
        try:
            file = os.stat(self._path) if self._path and self._path != ":memory:" else None
        except OSError:
            return None
        with self._lock:
            if self._connection is None:
                # Out of the pool for good: the version is per connection, and this one
                # must never commit (its own commits would not count).
                raw = self._engine.raw_connection()
                raw.detach()
                self._connection = raw
            try:
                version: int = (
                    self._connection.cursor().execute("PRAGMA data_version").fetchone()[0]
                )
            except sqlite3.Error:
                # The file is no longer one (damaged): unknown; the reads say what is wrong.
                self._connection.close()
                self._connection = None
                return None
        if file is None:
            return (version,)
        return (version, file.st_dev, file.st_ino, file.st_size, file.st_mtime_ns)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class _PostgresChanges(DatabaseChanges):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._tables: frozenset[str] = frozenset()
        self._counts: dict[str, int] = {}
        self._listening = False
        self._listener: threading.Thread | None = None
        self._stopping = threading.Event()
        event.listen(engine, "after_cursor_execute", self._note_write)
        event.listen(engine, "commit", self._announce)
        event.listen(engine, "rollback", self._forget)
        event.listen(engine, "checkin", self._count_committed)

    def watch(self, tables: Iterable[str]) -> None:
        added = frozenset(tables) - self._tables
        with self._lock:
            self._tables |= added
            self._counts.update(dict.fromkeys(added, 0))

    def stamp(self, tables: Iterable[str]) -> Stamp:
        with self._lock:
            if self._listener is None and not self._stopping.is_set():
                self._listener = threading.Thread(
                    target=self._listen, name="database-changes", daemon=True
                )
                self._listener.start()
            if not self._listening:
                return None
            return (sum(self._counts[table] for table in tables),)

    def close(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join()
        for name, handler in (
            ("after_cursor_execute", self._note_write),
            ("commit", self._announce),
            ("rollback", self._forget),
            ("checkin", self._count_committed),
        ):
            event.remove(self._engine, name, handler)

    def _count(self, tables: Iterable[str]) -> None:
        with self._lock:
            for table in tables:
                if table in self._counts:
                    self._counts[table] += 1

    # -- this replica's writes, through the engine's events -----------------------------------

    def _note_write(
        self,
        conn: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        context: ExecutionContext | None,
        _executemany: bool,
    ) -> None:
        compiled: Any = getattr(context, "compiled", None)
        if compiled is not None and (compiled.isinsert or compiled.isupdate or compiled.isdelete):
            name = getattr(getattr(compiled.statement, "table", None), "name", None)
            written = {name} & self._tables if name else set(self._tables)
        elif statement.lstrip()[:6].lower() in _DML:
            written = set(self._tables)  # written SQL: which table is not known
        else:
            return
        if written:
            conn.info.setdefault(_WRITING, set()).update(written)

    def _announce(self, conn: Connection) -> None:
        """Before the commit: the notice, which PostgreSQL delivers once it is committed."""
        written: set[str] | None = conn.info.pop(_WRITING, None)
        if not written:
            return
        raw: Any = conn.connection.dbapi_connection
        raw.execute("SELECT pg_notify(%s, %s)", (CHANNEL, ",".join(sorted(written))))
        conn.info.setdefault(_COMMITTED, set()).update(written)

    def _forget(self, conn: Connection) -> None:
        conn.info.pop(_WRITING, None)

    def _count_committed(self, _dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        committed: set[str] | None = record.info.pop(_COMMITTED, None)
        if committed:
            self._count(committed)

    # -- the other replicas' writes, by LISTEN ------------------------------------------------

    def _listen(self) -> None:
        failing = False
        while not self._stopping.is_set():
            try:
                self._listen_once()
            except Exception:
                with self._lock:
                    heard, self._listening = self._listening, False
                if heard or not failing:  # once per spell of failures
                    logger.warning(
                        "Not hearing of other replicas' changes; caches read every time"
                        " until the database answers again",
                        exc_info=True,
                    )
                failing = True
            with self._lock:
                self._listening = False
            self._stopping.wait(_RECONNECT_SECONDS)

    def _listen_once(self) -> None:
        raw = self._engine.raw_connection()
        raw.detach()
        try:
            connection: Any = raw.dbapi_connection
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            with self._lock:
                # Whatever was written while nobody listened has changed.
                for table in self._counts:
                    self._counts[table] += 1
                self._listening = True
            while not self._stopping.is_set():
                for notice in connection.notifies(timeout=_LISTEN_TIMEOUT_SECONDS):
                    self._count(notice.payload.split(","))
        finally:
            raw.close()
