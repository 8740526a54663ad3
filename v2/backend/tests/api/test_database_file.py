"""The database file is damaged, deleted or migrated away under a running service."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.main import create_app
from tests.conftest import build_test_settings

URL = "/api/v1/config/dashboard"


def sqlite_client(tmp_path: Path, path: Path) -> TestClient:
    return TestClient(create_app(build_test_settings(f"sqlite:///{path}", tmp_path)))


def corrupt(client: TestClient, path: Path) -> None:
    """Overwrite the start of the app's SQLite file, once its WAL is written back into it."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    with path.open("r+b") as file:
        file.write(b"not a database, really" * 4)


def test_a_corrupted_sqlite_file_makes_readyz_and_requests_answer_503(tmp_path: Path) -> None:
    path = tmp_path / "acestream.db"
    with sqlite_client(tmp_path, path) as client:
        # Pooled connections have the file open, and go on reading it from their cache.
        assert client.get("/api/v1/activity/recent").status_code == 200
        corrupt(client, path)

        ready = client.get("/readyz")
        read = client.get("/api/v1/activity/recent")

    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "reason": "database unreachable: (sqlite3.OperationalError) "
        f"cannot use the database file {path}: file is not a database",
    }
    assert read.status_code == 503


def test_damage_past_the_sqlite_header_answers_503_not_500(tmp_path: Path) -> None:
    path = tmp_path / "acestream.db"
    with sqlite_client(tmp_path, path) as client:
        engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        with path.open("r+b") as file:
            # The header (first page) stays valid; every table page after it is garbage.
            file.seek(4096)
            file.write(b"\xff" * (path.stat().st_size - 4096))
        engine.dispose()  # no connection keeps the old pages in its cache

        read = client.get("/api/v1/activity/recent")
        ready = client.get("/readyz")

    assert read.status_code == 503
    assert read.json() == {"detail": "The database is unavailable right now; try again shortly."}
    assert ready.status_code == 503
    assert "database disk image is malformed" in ready.json()["reason"]


def test_a_deleted_sqlite_file_gets_no_writes_and_readyz_says_why(tmp_path: Path) -> None:
    path = tmp_path / "acestream.db"
    with sqlite_client(tmp_path, path) as client:
        assert client.put(URL, json={"retention_days": 3}).status_code == 200
        path.unlink()

        write = client.put(URL, json={"retention_days": 5})
        ready = client.get("/readyz")

    assert write.status_code == 503
    assert write.json() == {"detail": "The database is unavailable right now; try again shortly."}
    assert ready.status_code == 503
    assert ready.json()["reason"] == (
        "database unreachable: (sqlite3.OperationalError) "
        f"cannot use the database file {path}: it no longer exists"
    )
    assert not path.exists()  # not created again, empty, behind the operator's back


def test_readyz_answers_503_when_the_schema_is_not_the_one_the_service_needs(
    client: TestClient, engine: Engine
) -> None:
    with engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(text("UPDATE alembic_version SET version_num = 'elsewhere'"))
    try:
        response = client.get("/readyz")
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": f"database not ready: the schema is at revision elsewhere, "
        f"this service needs {head}",
    }


def test_readyz_answers_503_when_a_table_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "acestream.db"
    with sqlite_client(tmp_path, path) as client:
        engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE epg_channels"))

        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "database not ready: the schema cannot be read: "
        "(sqlite3.OperationalError) no such table: epg_channels",
    }


def test_a_corrupted_file_answers_503_for_what_the_replica_keeps_too(tmp_path: Path) -> None:
    path = tmp_path / "acestream.db"
    with sqlite_client(tmp_path, path) as client:
        kept = client.get("/api/v1/background-tasks/status")  # the task states, now kept
        corrupt(client, path)

        read = client.get("/api/v1/background-tasks/status")

    assert kept.status_code == 200
    assert read.status_code == 503
