"""Migrations go up, down and up again on both databases, and match the models exactly."""

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from uuid import uuid4

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, insert, inspect, make_url, select, text
from sqlalchemy.orm import Session

from app.core.db import create_db_engine
from app.core.migrations import (
    MIGRATIONS_DIR,
    alembic_config,
    head_from_files,
    head_revision,
    upgrade_to_head,
)
from app.models import ActivityHourlyCount, AppSetting, Base, PeerStatus
from tests.conftest import POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with nothing in it, not even the migrations' version table."""
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_url")  # skips or fails as configured when unreachable
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"acestream_migrations_{uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_db_engine(
        make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    )
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


ALL_TABLES = {
    "alembic_version",
    "activity_log",
    "activity_hourly_counts",
    "app_settings",
    "channels",
    "epg_channels",
    "notification_messages",
    "peer_status",
    "stream_plays",
    "stream_samples",
    "stream_sessions",
    "state_changes",
    "task_state",
    "task_runs",
}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    assert _tables(empty_engine) == ALL_TABLES
    indexes = {index["name"] for index in inspect(empty_engine).get_indexes("activity_log")}
    assert indexes == {
        "ix_activity_log_timestamp_id",
        "ix_activity_log_type_timestamp_id",
        "ix_activity_log_problems",
        "ix_activity_log_type_problems",
    }

    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert _tables(empty_engine) == {"alembic_version"}

    upgrade_to_head(empty_engine)
    assert _tables(empty_engine) == ALL_TABLES


def test_upgrading_twice_is_harmless(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    upgrade_to_head(empty_engine)

    with empty_engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0010"


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head_from_files(MIGRATIONS_DIR / "versions") == head_revision()


def test_two_heads_in_the_files_leave_the_choice_to_alembic(tmp_path: Path) -> None:
    for name, revision in (("a", "0002"), ("b", "0003")):
        (tmp_path / f"{name}.py").write_text(f'revision = "{revision}"\ndown_revision = "0001"\n')
    (tmp_path / "base.py").write_text('revision: str = "0001"\ndown_revision = None\n')

    assert head_from_files(tmp_path) is None


# Run in a fresh interpreter, where nothing has imported Alembic yet.
_START_ON = """
import sys
from app.core.db import check_database, create_db_engine
from app.core.migrations import upgrade_to_head
engine = create_db_engine(sys.argv[1])
upgrade_to_head(engine)
check_database(engine)
print(sorted(name for name in sys.modules if name.split(".")[0] in ("alembic", "mako")))
"""


def test_a_database_at_head_starts_without_importing_alembic(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    url = empty_engine.url.render_as_string(hide_password=False)

    imported = subprocess.run(
        [sys.executable, "-c", _START_ON, url],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert imported == "[]"


def test_migrations_match_the_models(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)

    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_hourly_counts_start_from_the_rows_already_logged(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
        for stamp, kind in [
            ("2026-11-24 10:00:00", "scrape"),
            ("2026-11-24 10:59:59.999999", "scrape"),
            ("2026-11-24 10:30:00", "error"),
            ("2026-11-24 11:00:00", "scrape"),
        ]:
            connection.execute(
                text(
                    "INSERT INTO activity_log (timestamp, type, level, message, details)"
                    " VALUES (:stamp, :kind, 'info', 'm', '{}')"
                ),
                {
                    "stamp": f"{stamp}+00:00" if connection.dialect.name == "postgresql" else stamp,
                    "kind": kind,
                },
            )

    upgrade_to_head(empty_engine)

    with Session(empty_engine) as session:
        stored = session.execute(
            select(
                ActivityHourlyCount.hour, ActivityHourlyCount.type, ActivityHourlyCount.count
            ).order_by(ActivityHourlyCount.hour, ActivityHourlyCount.type)
        ).all()
    assert [(hour.isoformat(), kind, count) for hour, kind, count in stored] == [
        ("2026-11-24T10:00:00+00:00", "error", 1),
        ("2026-11-24T10:00:00+00:00", "scrape", 2),
        ("2026-11-24T11:00:00+00:00", "scrape", 1),
    ]


def test_a_content_id_and_its_infohash_twin_coexist_from_0004_on(empty_engine: Engine) -> None:
    insert = text(
        "INSERT INTO channels (content_id, id_kind, source_url, first_seen, last_seen,"
        " seen_in_latest_scrape) VALUES (:hex, :kind, 'http://x', :now, :now, true)"
    )
    row = {"hex": "a" * 40, "now": "2026-12-02 00:00:00+00:00"}
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
        connection.execute(insert, row | {"kind": "content_id"})

    upgrade_to_head(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(insert, row | {"kind": "infohash"})
    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
        kinds = connection.execute(text("SELECT id_kind FROM channels")).scalars().all()

    assert kinds == ["content_id"]


# A peer snapshot as revisions up to 0004 stored it in app_settings.
CHECKED = "2026-12-04T10:00:00.250000+00:00"
WARP_UP = "2026-12-04T09:00:00+00:00"
OLD_SNAPSHOT = {
    "checked_at": CHECKED,
    "acexy": {
        "reachable": True,
        "count": 1,
        "streams": [{"id": "a" * 40, "infohash": None, "clients": 2}],
        "total_clients": 2,
        "error": None,
    },
    "engine": {
        "reachable": False,
        "version": None,
        "platform": None,
        "code": None,
        "error": "AceStream engine not reachable at http://[REDACTED]@e:6878/: connection refused",
    },
    "warp": {
        "status": "disconnected",
        "reason": "Manual Disconnection",
        "details": {"network": "healthy"},
        "error": None,
    },
    "warp_last_connected": WARP_UP,
    "peer_checked_at": {"acexy": CHECKED, "engine": CHECKED, "warp": CHECKED},
}


def test_a_stored_peer_snapshot_moves_to_its_own_table_and_back(empty_engine: Engine) -> None:
    at = datetime.fromisoformat(CHECKED)
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
        connection.execute(
            insert(AppSetting),
            [
                {"key": "peer_status", "value": OLD_SNAPSHOT, "updated_at": at},
                {"key": "retention_days", "value": 7, "updated_at": at},
            ],
        )

    upgrade_to_head(empty_engine)
    with Session(empty_engine) as session:
        moved = [
            (row.peer, row.checked_at, row.state, row.last_up_at)
            for row in session.scalars(select(PeerStatus).order_by(PeerStatus.peer))
        ]
        settings = session.scalars(select(AppSetting.key)).all()
    assert moved == [
        ("acexy", at, OLD_SNAPSHOT["acexy"], None),
        ("engine", at, OLD_SNAPSHOT["engine"], None),
        ("warp", at, OLD_SNAPSHOT["warp"], datetime.fromisoformat(WARP_UP)),
    ]
    assert settings == ["retention_days"]

    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    with Session(empty_engine) as session:
        restored: dict[str, object] = dict(
            session.execute(select(AppSetting.key, AppSetting.value)).all()
        )
        updated_at = session.scalar(
            select(AppSetting.updated_at).where(AppSetting.key == "peer_status")
        )
    assert restored == {"peer_status": OLD_SNAPSHOT, "retention_days": 7}
    assert updated_at == at
    assert "peer_status" not in _tables(empty_engine)


def test_without_a_stored_snapshot_the_peer_table_starts_empty(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    with Session(empty_engine) as session:
        assert session.scalars(select(PeerStatus)).all() == []

    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
        assert connection.execute(text("SELECT count(*) FROM app_settings")).scalar() == 0


def _log_rows(connection: Connection, rows: list[tuple[int, str, str, str]]) -> None:
    """Activity rows (id, UTC timestamp, type, level) written as SQL, around the application."""
    for row_id, stamp, kind, level in rows:
        connection.execute(
            text(
                "INSERT INTO activity_log (id, timestamp, type, level, message, details)"
                " VALUES (:id, :stamp, :kind, :level, 'm', '{}')"
            ),
            {
                "id": row_id,
                "stamp": f"{stamp}+00:00" if connection.dialect.name == "postgresql" else stamp,
                "kind": kind,
                "level": level,
            },
        )


def _hourly_counts(connection: Connection) -> list[tuple[object, ...]]:
    columns = [c["name"] for c in inspect(connection).get_columns("activity_hourly_counts")]
    return [
        tuple(row)
        for row in connection.execute(
            text(f"SELECT {', '.join(columns)} FROM activity_hourly_counts ORDER BY 1, 2, 3")  # noqa: S608
        )
    ]


def test_0006_counts_the_log_again_by_level_and_its_downgrade_sums_the_levels(
    empty_engine: Engine,
) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
        # Ids far apart: the recount goes by id ranges of 100 000, and one hour's rows of
        # one type and level lie in several of them.
        _log_rows(
            connection,
            [
                (1, "2026-11-24 10:00:00", "scrape", "info"),
                (2, "2026-11-24 10:20:00", "system_event", "warning"),
                (150_000, "2026-11-24 10:30:00", "scrape", "info"),
                (150_001, "2026-11-24 10:40:00", "error", "error"),
                (420_000, "2026-11-24 10:59:59.999999", "error", "error"),
                (420_001, "2026-11-24 11:00:00", "system_event", "info"),
            ],
        )
        command.upgrade(alembic_config(connection), "0006")

    with Session(empty_engine) as session:
        stored = session.execute(
            select(
                ActivityHourlyCount.hour,
                ActivityHourlyCount.type,
                ActivityHourlyCount.level,
                ActivityHourlyCount.count,
            ).order_by(ActivityHourlyCount.hour, ActivityHourlyCount.type)
        ).all()
    assert [(hour.isoformat(), *rest) for hour, *rest in stored] == [
        ("2026-11-24T10:00:00+00:00", "error", "error", 2),
        ("2026-11-24T10:00:00+00:00", "scrape", "info", 2),
        ("2026-11-24T10:00:00+00:00", "system_event", "warning", 1),
        ("2026-11-24T11:00:00+00:00", "system_event", "info", 1),
    ]

    with empty_engine.begin() as connection:
        # A count the log does not hold: the downgrade sums what is stored, not the log.
        connection.execute(
            text(
                "INSERT INTO activity_hourly_counts (hour, type, level, count)"
                " SELECT hour, type, 'warning', 1 FROM activity_hourly_counts"
                " WHERE type = 'system_event' AND level = 'info'"
            )
        )
        command.downgrade(alembic_config(connection), "0004")
        downgraded = _hourly_counts(connection)
        indexes = {index["name"] for index in inspect(connection).get_indexes("activity_log")}

    assert [(str(hour)[:19], kind, count) for hour, kind, count in downgraded] == [
        ("2026-11-24 10:00:00", "error", 2),
        ("2026-11-24 10:00:00", "scrape", 2),
        ("2026-11-24 10:00:00", "system_event", 1),
        ("2026-11-24 11:00:00", "system_event", 2),
    ]
    assert indexes == {"ix_activity_log_timestamp_id", "ix_activity_log_type_timestamp_id"}
