"""HEAD is answered wherever GET is: same status and headers, no body."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/playlist.m3u", "/api/v1/warp/status"])
def test_head_answers_like_get_without_a_body(
    client: TestClient, tmp_path: Path, path: str
) -> None:
    (tmp_path / "playlist.m3u").write_text("#EXTM3U\n")

    head = client.head(path)
    get = client.get(path)

    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "cache-control"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_head_on_metrics_answers_the_exposition_headers(client: TestClient) -> None:
    response = client.head("/metrics")

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"].startswith("text/plain")
    assert int(response.headers["content-length"]) > 0


def test_head_on_a_missing_playlist_is_404_like_get(client: TestClient) -> None:
    assert client.head("/playlist.m3u").status_code == 404


def test_head_on_a_write_only_route_is_405(client: TestClient) -> None:
    assert client.head("/api/v1/background-tasks/scrape/run").status_code == 405
