"""Answers of at least 1 KiB go out gzipped to clients that accept it; the event stream,
small answers and already-encoded files go out as they are."""

import gzip
import json
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.compression import MINIMUM_BYTES
from app.main import create_app
from tests.conftest import SettingsFactory
from tests.factories import make_page_dist
from tests.live import serve_app
from tests.sse import EventReader

LARGE_JSON = "/openapi.json"


def wire_size(response: httpx.Response) -> int:
    """Bytes that went over the wire (httpx hands back the decoded body)."""
    return int(response.headers["content-length"])


def test_a_large_json_answer_is_gzipped_for_a_client_that_accepts_it(client: TestClient) -> None:
    packed = client.get(LARGE_JSON, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(LARGE_JSON, headers={"Accept-Encoding": "identity"})

    assert packed.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert wire_size(packed) < wire_size(plain) / 4
    assert packed.json() == plain.json()


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0, br", "br"])
def test_a_client_that_refuses_gzip_gets_the_answer_as_it_is(
    client: TestClient, accept: str
) -> None:
    response = client.get(LARGE_JSON, headers={"Accept-Encoding": accept})

    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert wire_size(response) == len(response.content)
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_an_answer_under_the_minimum_is_not_compressed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})

    assert len(response.content) < MINIMUM_BYTES
    assert "content-encoding" not in response.headers


def test_head_carries_the_headers_of_the_compressed_get(client: TestClient) -> None:
    head = client.head(LARGE_JSON, headers={"Accept-Encoding": "gzip"})
    get = client.get(LARGE_JSON, headers={"Accept-Encoding": "gzip"})

    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-encoding", "content-length", "content-type", "vary"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_a_compressed_page_gets_a_weak_etag_that_revalidates_to_304(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    dist = make_page_dist(tmp_path)
    html = "<!doctype html><title>dashboard</title>" + "<p>first paint</p>" * 200
    (dist / "index.html").write_text(html)

    with TestClient(create_app(make_settings(frontend_dist=dist))) as client:
        packed = client.get("/", headers={"Accept-Encoding": "gzip"})
        plain = client.get("/", headers={"Accept-Encoding": "identity"})
        again = client.get(
            "/", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["etag"]}
        )

    assert packed.headers["content-encoding"] == "gzip"
    assert packed.text == html
    assert packed.headers["etag"] == f"W/{plain.headers['etag']}"
    assert not plain.headers["etag"].startswith("W/")
    assert again.status_code == 304


def test_a_prebuilt_gzip_asset_is_not_compressed_twice(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    dist = make_page_dist(tmp_path)
    script = "console.log('dashboard');\n" * 200
    (dist / "assets" / "index-abc123.js").write_text(script)
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(script.encode()))

    with TestClient(create_app(make_settings(frontend_dist=dist))) as client:
        response = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})

    assert response.headers["content-encoding"] == "gzip"
    assert response.text == script


def test_the_activity_stream_is_not_compressed_and_each_message_arrives_on_its_own(
    make_settings: SettingsFactory,
) -> None:
    # A short heartbeat, so that the first message comes without storing activity.
    settings = make_settings(activity_stream_heartbeat_seconds=0.2)
    with (
        serve_app(settings) as url,
        httpx.Client(timeout=httpx.Timeout(10.0)) as http,
        http.stream(
            "GET", url + "/api/v1/activity/stream", headers={"Accept-Encoding": "gzip"}
        ) as response,
    ):
        first = EventReader(response).next()

        assert response.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in response.headers
        assert first is not None
        assert first.comment == "keepalive"
