"""The database goes away under a running service: 503s with a reason, then recovery."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from app.main import create_app
from app.utils.activity import ActivityType
from app.wiring import Services
from tests.conftest import POSTGRES_URL, build_test_settings

URL = "/api/v1/config/dashboard"


@contextmanager
def postgres_refusing_connections(database_url: str) -> Iterator[None]:
    """No new connections to the database, and the open ones cut, until the block ends."""
    name = make_url(database_url).database
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_postgresql_going_away_gives_503s_then_the_service_recovers(
    postgres_url: str, tmp_path: Path
) -> None:
    with TestClient(create_app(build_test_settings(postgres_url, tmp_path))) as client:
        services: Services = client.app.state.services  # type: ignore[attr-defined]
        with postgres_refusing_connections(postgres_url):
            outage = client.get(URL)
            ready = client.get("/readyz")
            services.recorder.record(ActivityType.SYSTEM_EVENT, "Recorded during the outage")
            assert client.get("/healthz").status_code == 200

        assert outage.status_code == 503
        assert outage.json() == {
            "detail": "The database is unavailable right now; try again shortly."
        }
        assert ready.status_code == 503
        assert ready.json()["reason"].startswith("database unreachable: ")
        assert services.activity_exporter.rows_pending == 1

        assert client.get(URL).status_code == 200
        assert client.get("/readyz").json() == {"status": "ready", "reason": None}
        assert services.activity_exporter.force_flush()
        messages = [
            item["message"] for item in client.get("/api/v1/activity/recent").json()["items"]
        ]
        assert "Recorded during the outage" in messages


def test_a_locked_sqlite_file_gives_503_for_writes_while_reads_go_on(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    with TestClient(create_app(build_test_settings(f"sqlite:///{path}", tmp_path))) as client:
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            write = client.put(URL, json={"retention_days": 3})
        finally:
            locker.execute("ROLLBACK")
            locker.close()

        assert write.status_code == 503
        assert client.put(URL, json={"retention_days": 3}).json()["retention_days"] == 3
