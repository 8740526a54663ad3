"""Peers that hang or answer garbage: the service keeps answering, the peer is marked down."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import RunTask, SettingsFactory
from tests.fakes.http_peer import FakePeer, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli

DASHBOARD_READS = [
    "/api/v1/streams/active",
    "/api/v1/warp/status",
    "/api/v1/background-tasks/status",
    "/api/v1/activity/recent",
    "/api/v1/config/dashboard",
    "/metrics",
]


@pytest.fixture
def hanging_peers(
    make_settings: SettingsFactory, tmp_path: Path
) -> Iterator[tuple[TestClient, FakePeer]]:
    with serve_fake_peer("hang") as acexy, serve_fake_peer("endless") as engine:
        settings = make_settings(
            acexy_url=acexy.base_url,
            acestream_engine_url=engine.base_url,
            warp_cli=make_fake_warp_cli(tmp_path, "hang"),
        )
        with TestClient(create_app(settings)) as client:
            yield client, acexy


def test_hanging_peers_are_marked_down_and_never_hold_up_a_request(
    hanging_peers: tuple[TestClient, FakePeer], run_task: RunTask
) -> None:
    client, _ = hanging_peers
    # The start-up check has given up on every peer within its time limit.
    streams = client.get("/api/v1/streams/active").json()
    warp = client.get("/api/v1/warp/status").json()

    assert (streams["available"], streams["count"]) == (False, None)
    assert "no complete answer within 3 s" in streams["error"]
    assert warp["status"] in {"error", "unavailable"}
    assert "did not answer within" in warp["error"]
    # Reads come from the store: every dashboard read answers while peers still hang.
    for path in DASHBOARD_READS:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("mode", ["html", "huge"])
def test_acexy_answering_garbage_is_unavailable_with_a_reason(
    make_settings: SettingsFactory, mode: str
) -> None:
    with (
        serve_fake_peer(mode) as acexy,  # type: ignore[arg-type]
        TestClient(create_app(make_settings(acexy_url=acexy.base_url))) as client,
    ):
        streams = client.get("/api/v1/streams/active").json()

    assert streams["count"] is None
    assert streams["error"]
