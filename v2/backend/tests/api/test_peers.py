"""GET /streams/active and /warp/status, fed by status_check from fake peers on loopback."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import RunTask, SettingsFactory
from tests.factories import all_activity
from tests.fakes.http_peer import FakePeer, FakeStream, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli

STREAM = FakeStream("a" * 40, "b" * 40, clients=2)


@pytest.fixture
def acexy() -> Iterator[FakePeer]:
    with serve_fake_peer("acexy") as peer:
        yield peer


@pytest.fixture
def engine() -> Iterator[FakePeer]:
    with serve_fake_peer("engine") as peer:
        yield peer


def _app(
    make_settings: SettingsFactory, acexy: FakePeer, engine: FakePeer, warp: str
) -> TestClient:
    settings = make_settings(
        acexy_url=acexy.base_url, acestream_engine_url=engine.base_url, warp_cli=warp
    )
    return TestClient(create_app(settings))


# A stream's own figures, null until the engine's stat for it was read.
ENGINE_FIGURES = (
    "started_at",
    "engine_status",
    "peers",
    "speed_down_kbps",
    "speed_up_kbps",
    "downloaded_bytes",
    "uploaded_bytes",
)


def test_active_streams_come_from_acexy_when_it_answers(
    make_settings: SettingsFactory, acexy: FakePeer, engine: FakePeer, tmp_path: Path
) -> None:
    acexy.mode = "acexy-meikkun"
    acexy.streams = [STREAM]
    warp = make_fake_warp_cli(tmp_path, "json-connected")
    with _app(make_settings, acexy, engine, warp) as client:
        body = client.get("/api/v1/streams/active").json()

    assert body == {
        "count": 1,
        "source": "acexy",
        "available": True,
        "checked_at": body["checked_at"],
        "error": None,
        # Meikkun's fork omits the infohash of a stream started by content id. No status
        # check has tracked it yet: the engine's figures are unknown.
        "streams": [
            {
                "id": "a" * 40,
                "infohash": None,
                "clients": 2,
                "channel": None,
                "viewers": [],
                **dict.fromkeys(ENGINE_FIGURES),
                "stalled": False,
            }
        ],
        "total_clients": 2,
    }
    assert body["checked_at"].endswith("Z")


def test_the_engine_answers_with_an_unknown_count_when_acexy_is_down(
    make_settings: SettingsFactory, acexy: FakePeer, engine: FakePeer, tmp_path: Path
) -> None:
    acexy.stop()
    warp = make_fake_warp_cli(tmp_path, "json-connected")
    with _app(make_settings, acexy, engine, warp) as client:
        response = client.get("/api/v1/streams/active")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["source"], body["available"]) == (None, "acestream", True)
    assert "the AceStream engine is up but cannot count streams" in body["error"]


def test_nothing_reachable_is_data_not_a_failure(client: TestClient) -> None:
    response = client.get("/api/v1/streams/active")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["source"], body["available"]) == (None, None, False)
    assert "acexy" in body["error"]
    assert "engine" in body["error"]


@pytest.mark.parametrize(
    ("era", "status", "details"),
    [
        ("text-connected-network", "connected", {"network": "healthy"}),
        ("text-disconnected", "disconnected", {"reason": "Manual Disconnection"}),
        ("json-connecting", "connecting", {}),
    ],
)
def test_warp_status_reports_what_warp_cli_says(
    make_settings: SettingsFactory,
    acexy: FakePeer,
    engine: FakePeer,
    tmp_path: Path,
    era: str,
    status: str,
    details: dict[str, str],
) -> None:
    with _app(make_settings, acexy, engine, make_fake_warp_cli(tmp_path, era)) as client:
        body = client.get("/api/v1/warp/status").json()

    assert body["status"] == status
    assert body["details"] == details
    assert body["error"] is None
    assert (body["last_connected"] is not None) is (status == "connected")


def test_warp_cli_missing_is_unavailable_with_a_reason(client: TestClient) -> None:
    body = client.get("/api/v1/warp/status").json()

    assert body["status"] == "unavailable"
    assert "no-warp-cli" in body["error"]


def test_state_changes_are_recorded_once_and_last_connected_survives_a_restart(
    make_settings: SettingsFactory,
    acexy: FakePeer,
    engine: FakePeer,
    tmp_path: Path,
    run_task: RunTask,
) -> None:
    warp = make_fake_warp_cli(tmp_path, "text-connected")
    with _app(make_settings, acexy, engine, warp) as client:
        connected_at = client.get("/api/v1/warp/status").json()["last_connected"]
        run_task(client, "status_check")
        make_fake_warp_cli(tmp_path, "text-disconnected")
        run_task(client, "status_check")
        run_task(client, "status_check")
        with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            events = [row.message for row in all_activity(session) if "WARP" in row.message]

    assert events == ["WARP is disconnected"]
    with _app(make_settings, acexy, engine, warp) as client:
        body = client.get("/api/v1/warp/status").json()
    assert body["status"] == "disconnected"
    assert body["last_connected"] > connected_at
