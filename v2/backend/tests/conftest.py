"""Fixtures: real databases (an SQLite file and PostgreSQL), real apps, no mocks.

Every test that takes `database_url` (directly or through `app`/`client`) runs twice, once
per database. PostgreSQL comes from TEST_POSTGRES_URL (default: the local server on
127.0.0.1:5432, database `test`); each test run works in a fresh database of its own that it
drops at the end. Without a server those tests skip, unless REQUIRE_POSTGRES=1 (as in CI),
which makes them fail instead.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.migrations import upgrade_to_head
from app.main import create_app
from app.models import Base
from tests.fakes.http_peer import closed_port_url
from tests.runs import RunWatcher

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"

SettingsFactory = Callable[..., Settings]
RunTask = Callable[[TestClient, str], dict[str, object]]


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings in the developer's shell must not leak into the apps the tests build."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database, migrated to head, for this test run only."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc.orig}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(f"{message} (REQUIRE_POSTGRES=1 makes this a failure)")
    name = f"acestream_test_{uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated once; each test gets a copy instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "acestream.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres_database(url)
    return url


def _empty_postgres_database(url: str) -> None:
    """Delete every row and restart the sequences used so far: what `TRUNCATE .. RESTART
    IDENTITY` does, in a fraction of its time on tables this small (a TRUNCATE makes new
    files for every table and index and syncs them at commit: ~40 ms, and ~0.3 s on a busy
    machine, before every PostgreSQL test)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        used = connection.scalars(
            text(
                "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences"
                " WHERE last_value IS NOT NULL"
            )
        )
        for sequence in used.all():
            connection.execute(text("SELECT setval(:sequence, 1, false)"), {"sequence": sequence})
    engine.dispose()


def build_test_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test app on `database_url`; keyword arguments override single fields."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "activity_export": "sync",
        # Tests run tasks themselves; those about the scheduler turn it on.
        "scheduler_enabled": False,
        # No peers unless a test starts fake ones: nothing on this machine is asked.
        "acexy_url": closed_port_url(),
        "acestream_engine_url": closed_port_url(),
        "warp_cli": str(data_dir / "no-warp-cli"),
        # No page unless a test builds or names one: the API answers every path.
        "frontend_dist": data_dir / "no-page",
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> SettingsFactory:
    """Settings for a test app on each database; keyword arguments override single fields."""

    def factory(**overrides: Any) -> Settings:
        url = overrides.pop("database_url", database_url)
        return build_test_settings(url, overrides.pop("data_dir", tmp_path), **overrides)

    return factory


@pytest.fixture
def settings(make_settings: SettingsFactory) -> Settings:
    return make_settings()


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def engine(client: TestClient) -> Engine:
    """The running app's own engine."""
    app_engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return app_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with sessionmaker(engine, expire_on_commit=False)() as db_session:
        yield db_session


@pytest.fixture
def run_task() -> Callable[[TestClient, str], dict[str, object]]:
    """Run a task through the API, wait for it, and answer its status entry."""

    def run(client: TestClient, name: str) -> dict[str, object]:
        runs = RunWatcher.on(client)
        response = client.post(f"/api/v1/background-tasks/{name}/run")
        assert response.status_code == 202, response.text
        assert runs.wait_for_runs(name, 1, timeout=30)
        tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
        [task] = [task for task in tasks if task["task_name"] == name]
        return task  # type: ignore[no-any-return]

    return run
