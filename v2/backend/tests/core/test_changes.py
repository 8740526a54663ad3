"""Stamps of database changes, and the per-replica cached reads that trust them."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, insert, select, text

from app.core.changes import CachedRead, DatabaseChanges, Stamp, watch_changes
from app.core.db import create_db_engine
from app.models import AppSetting, Channel
from tests.polling import eventually

WATCHED = ["app_settings"]


@pytest.fixture
def engines(database_url: str) -> Iterator[tuple[Engine, Engine]]:
    """Two replicas' engines on one database: ours, and another's."""
    ours, theirs = create_db_engine(database_url), create_db_engine(database_url)
    yield ours, theirs
    ours.dispose()
    theirs.dispose()


@pytest.fixture
def changes(engines: tuple[Engine, Engine]) -> Iterator[DatabaseChanges]:
    """Our watcher; the other replica has its own, as every replica does (on PostgreSQL its
    engine is what announces its commits)."""
    ours, theirs = watch_changes(engines[0]), watch_changes(engines[1])
    ours.watch(WATCHED)
    theirs.watch(WATCHED)
    yield ours
    ours.close()
    theirs.close()


def _known_stamp(changes: DatabaseChanges) -> Stamp:
    """The first stamp that is not None (PostgreSQL's once its listener listens)."""
    assert eventually(lambda: changes.stamp(WATCHED) is not None)
    return changes.stamp(WATCHED)


def _write_setting(engine: Engine, key: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(AppSetting).values(key=key, value=1, updated_at=datetime.now(UTC))
        )


def _settings_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(AppSetting)) or 0


def test_our_own_commit_changes_the_stamp_at_once(
    engines: tuple[Engine, Engine], changes: DatabaseChanges
) -> None:
    before = _known_stamp(changes)

    _write_setting(engines[0], "ours")

    assert changes.stamp(WATCHED) not in (before, None)


def test_another_replicas_commit_changes_the_stamp(
    engines: tuple[Engine, Engine], changes: DatabaseChanges
) -> None:
    before = _known_stamp(changes)

    _write_setting(engines[1], "theirs")

    assert eventually(lambda: changes.stamp(WATCHED) not in (before, None))


def test_a_rolled_back_write_leaves_the_stamp(
    engines: tuple[Engine, Engine], changes: DatabaseChanges
) -> None:
    before = _known_stamp(changes)

    with engines[0].connect() as connection:
        connection.execute(
            insert(AppSetting).values(key="undone", value=1, updated_at=datetime.now(UTC))
        )
        connection.rollback()

    assert changes.stamp(WATCHED) == before


def test_on_postgresql_a_write_to_another_table_leaves_the_stamp(
    engines: tuple[Engine, Engine], changes: DatabaseChanges
) -> None:
    before = _known_stamp(changes)

    with engines[0].begin() as connection:
        now = datetime.now(UTC)
        connection.execute(
            insert(Channel).values(
                content_id="a" * 40,
                id_kind="content_id",
                name="La 1",
                source_url="http://list",
                first_seen=now,
                last_seen=now,
            )
        )

    # SQLite's stamp stands for every table; PostgreSQL's for the watched ones.
    unchanged = changes.stamp(WATCHED) == before
    assert unchanged is (engines[0].dialect.name == "postgresql")


def test_a_cached_read_is_read_again_only_after_a_commit(
    engines: tuple[Engine, Engine], changes: DatabaseChanges
) -> None:
    ours, theirs = engines
    reads: list[int] = []

    def read() -> int:
        reads.append(_settings_count(ours))
        return reads[-1]

    cache: CachedRead[int] = CachedRead(changes, WATCHED)
    _known_stamp(changes)
    first, again = cache.get(read), cache.get(read)
    _write_setting(theirs, "theirs")
    assert eventually(lambda: cache.get(read) == 1)

    assert (first, again) == (0, 0)
    assert reads == [0, 1]


def test_a_cached_read_is_read_again_for_another_key_or_once_it_aged(
    changes: DatabaseChanges,
) -> None:
    reads: list[str] = []
    cache: CachedRead[str] = CachedRead(changes, WATCHED)
    _known_stamp(changes)

    def read(value: str) -> Callable[[], str]:
        def counted() -> str:
            reads.append(value)
            return value

        return counted

    cache.get(read("a"), key="a")
    cache.get(read("a"), key="a")
    cache.get(read("b"), key="b")
    cache.get(read("b"), key="b", still_true=lambda _value: False)

    assert reads == ["a", "b", "b"]


def test_without_a_watcher_every_call_reads() -> None:
    reads: list[int] = []
    cache: CachedRead[int] = CachedRead(DatabaseChanges(), WATCHED)

    def read() -> int:
        reads.append(len(reads))
        return reads[-1]

    first, second = cache.get(read), cache.get(read)

    assert (first, second) == (0, 1)


# SQLite's stamps need no listener: PostgreSQL only.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_on_postgresql_a_write_made_while_the_listener_was_down_still_changes_the_stamp(
    engines: tuple[Engine, Engine], changes: DatabaseChanges
) -> None:
    ours, theirs = engines
    assert ours.dialect.name == "postgresql"
    before = _known_stamp(changes)

    with theirs.connect() as connection:  # the database drops every listener's connection
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        )
    _write_setting(theirs, "while nobody listened")  # its notice reaches no one

    assert eventually(lambda: changes.stamp(WATCHED) not in (before, None))
