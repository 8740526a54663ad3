import gc
import weakref
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import SettingsFactory
from tests.factories import all_activity


def test_start_and_stop_are_recorded_as_system_events(make_settings: SettingsFactory) -> None:
    app = create_app(make_settings())
    with TestClient(app):
        engine = app.state.engine
        with Session(engine) as session:
            [started] = [row for row in all_activity(session) if row.message.startswith("Service")]
        assert started.type == "system_event"
        assert started.message == "Service started"
        assert started.details["database"] == engine.dialect.name

    with TestClient(create_app(make_settings())) as client:
        items = client.get("/api/v1/activity/recent", params={"type": "system_event"}).json()
    assert [item["message"] for item in items["items"] if "Service" in item["message"]] == [
        "Service started",
        "Service stopping",
        "Service started",
    ]


def test_a_clean_stop_flushes_activity_still_queued_in_batch_mode(
    make_settings: SettingsFactory,
) -> None:
    app = create_app(make_settings(activity_export="batch"))
    with TestClient(app) as client:
        for days in range(1, 6):
            client.put("/api/v1/config/dashboard", json={"retention_days": days})

    with TestClient(create_app(make_settings())) as client:
        items = client.get("/api/v1/activity/recent", params={"type": "user_action"}).json()
    assert [item["details"]["changes"]["retention_days"]["new"] for item in items["items"]] == [
        5,
        4,
        3,
        2,
        1,
    ]


def test_two_apps_live_side_by_side_without_sharing_state(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    first = create_app(make_settings())
    second = create_app(make_settings(database_url=f"sqlite:///{tmp_path / 'other.db'}"))
    with TestClient(first) as one, TestClient(second) as two:
        one.put("/api/v1/config/dashboard", json={"retention_days": 1})

        assert one.get("/api/v1/config/dashboard").json()["retention_days"] == 1
        assert two.get("/api/v1/config/dashboard").json()["retention_days"] == 7
        assert first.state.tracer_provider is not second.state.tracer_provider


def test_a_stopped_app_is_not_kept_alive(make_settings: SettingsFactory) -> None:
    """Nothing process-wide (a library's cache of route handlers, say) holds on to an app
    once it is gone: a process that builds many (the tests) would otherwise grow with each."""
    app = create_app(make_settings())
    with TestClient(app) as client:
        assert client.get("/openapi.json").status_code == 200
    gone = weakref.ref(app)
    del app, client
    gc.collect()

    assert gone() is None
