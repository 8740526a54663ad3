"""The browser-facing edge: cross-site writes, Host names and security headers.

None of this touches the database beyond start-up, so these tests run on SQLite only.
"""

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import build_test_settings
from tests.factories import make_page_dist

PAUSE = "/api/v1/background-tasks/scrape/pause"
CONFIG = "/api/v1/config/dashboard"
TOKEN = "s3cret-token-0123456789"
CROSS_SITE = "Cross-site request refused: changes are accepted only from this origin"
NOT_JSON = "Send the request body as JSON with 'Content-Type: application/json'"

Serve = Callable[..., AbstractContextManager[TestClient]]


@pytest.fixture
def serve(sqlite_template: Path, tmp_path: Path) -> Serve:
    """Start the app on a copy of the migrated SQLite file with some settings overridden."""

    @contextmanager
    def start(**overrides: Any) -> Iterator[TestClient]:
        database = tmp_path / "edge.db"
        shutil.copyfile(sqlite_template, database)
        settings = build_test_settings(f"sqlite:///{database}", tmp_path, **overrides)
        with TestClient(create_app(settings)) as client:
            yield client

    return start


def _paused(client: TestClient) -> bool:
    tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
    return any(task["paused"] for task in tasks if task["task_name"] == "scrape")


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},
        # A browser old enough to send no Sec-Fetch-Site still sends Origin on a POST.
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver:8080"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_write_from_another_origin_is_refused_with_403_and_changes_nothing(
    serve: Serve, headers: dict[str, str]
) -> None:
    with serve() as client:
        response = client.post(PAUSE, headers=headers)
        changed = client.put(CONFIG, json={"retention_days": 1}, headers=headers)

        assert response.status_code == 403
        assert response.json() == {"detail": CROSS_SITE}
        assert changed.status_code == 403
        assert not _paused(client)
        assert client.get(CONFIG).json()["retention_days"] == 7


def test_a_cross_site_write_is_refused_even_with_the_token(serve: Serve) -> None:
    with serve(api_token=TOKEN) as client:
        response = client.post(
            PAUSE,
            headers={"Authorization": f"Bearer {TOKEN}", "Sec-Fetch-Site": "cross-site"},
        )

        assert response.status_code == 403
        assert not _paused(client)


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, Prometheus: no browser headers at all
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "none"},
        # Behind a TLS-terminating proxy the browser says https, the service sees http.
        {"Host": "dash.example", "Origin": "https://dash.example"},
    ],
)
def test_a_write_from_the_page_itself_or_a_non_browser_client_goes_through(
    serve: Serve, headers: dict[str, str]
) -> None:
    with serve() as client:
        response = client.post(PAUSE, headers=headers)

        assert response.status_code == 200, response.text
        assert _paused(client)


def test_the_origin_is_compared_with_the_host_the_request_came_to(
    serve: Serve,
) -> None:
    with serve() as client:
        same = client.post(
            PAUSE, headers={"Host": "dash.example:8000", "Origin": "http://dash.example:8000"}
        )
        ipv6 = client.post(PAUSE, headers={"Host": "[::1]:8000", "Origin": "http://[::1]:8000"})
        port = client.post(
            PAUSE, headers={"Host": "dash.example:8000", "Origin": "http://dash.example"}
        )

    assert (same.status_code, ipv6.status_code, port.status_code) == (200, 200, 403)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("multipart/form-data; boundary=x", 415),
        (None, 415),
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("application/merge-patch+json", 200),
    ],
)
def test_a_write_with_a_body_must_send_it_as_json(
    serve: Serve, content_type: str | None, status: int
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    with serve() as client:
        response = client.put(CONFIG, content=b'{"retention_days": 1}', headers=headers)

        assert response.status_code == status, response.text
        if status == 415:
            assert response.json() == {"detail": NOT_JSON}
            assert client.get(CONFIG).json()["retention_days"] == 7


def test_without_allowed_hosts_any_host_is_answered(serve: Serve) -> None:
    with serve() as client:
        response = client.get("/healthz", headers={"Host": "anything.example"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("dash.example", 200),
        ("DASH.example:8000", 200),
        ("tv.home.example", 200),
        ("localhost:8000", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
        ("rebound.attacker.example", 400),
        ("home.example", 400),
        ("", 400),
    ],
)
def test_allowed_hosts_refuses_other_host_names_with_400(
    serve: Serve, host: str, status: int
) -> None:
    with serve(allowed_hosts="dash.example,*.home.example") as client:
        response = client.get("/healthz", headers={"Host": host})

    assert response.status_code == status
    if status == 400:
        assert response.text == "Invalid host header"
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "cache_control"),
    [
        ("/", "no-cache"),
        ("/assets/index-abc123.js", "public, max-age=31536000, immutable"),
        (CONFIG, "no-store"),
        ("/api/v1/activity/recent?cursor=x", "no-store"),
        ("/healthz", "no-store"),
        ("/metrics", "no-store"),
        ("/no-such-page", "no-store"),
    ],
)
def test_every_answer_carries_the_security_headers(
    serve: Serve, tmp_path: Path, path: str, cache_control: str
) -> None:
    with serve(frontend_dist=make_page_dist(tmp_path)) as client:
        response = client.get(path)

    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == cache_control


def test_refusals_carry_the_security_headers_too(serve: Serve) -> None:
    with serve() as client:
        response = client.post(PAUSE, headers={"Sec-Fetch-Site": "cross-site"})

    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
