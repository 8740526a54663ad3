"""Credentials in configured URLs never come back out: not in activity, task status, run
history, peer status or /metrics, whichever database stores them."""

import logging

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from uvicorn.logging import AccessFormatter

from app.main import create_app
from tests.conftest import RunTask, SettingsFactory
from tests.factories import all_activity
from tests.fakes.http_peer import closed_port_url
from tests.fakes.otlp import receive_otlp
from tests.fakes.web import Page, serve_pages
from tests.live import serve_app
from tests.runs import RunWatcher

PASSWORD = "pa55w0rd-xyz"
TOKEN = "t0k3n-abc"


def _everything_shown(client: TestClient) -> str:
    """What a reader of the API and /metrics can see, as one text."""
    paths = [
        "/api/v1/activity/recent?limit=100",
        "/api/v1/background-tasks/status",
        "/api/v1/background-tasks/scrape/runs",
        "/api/v1/background-tasks/epg_refresh/runs",
        "/api/v1/streams/active",
        "/api/v1/warp/status",
        "/metrics",
    ]
    responses = [client.get(path) for path in paths]
    assert [response.status_code for response in responses] == [200] * len(paths)
    return "\n".join(response.text for response in responses)


def test_a_failing_scrape_url_shows_no_password_and_no_token(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_pages({}) as site:
        url = site.url(f"/x?token={TOKEN}").replace("http://", f"http://u:{PASSWORD}@")
        with TestClient(create_app(make_settings(scrape_urls=url))) as client:
            task = run_task(client, "scrape")
            shown = _everything_shown(client)
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                rows = all_activity(session)
    [error] = [row for row in rows if row.message.startswith("Could not scrape")]

    redacted = site.url("/x?token=[REDACTED]").replace("http://", "http://[REDACTED]@")
    assert task["last_error"] == f"The only source failed: {redacted} (HTTP 404 Not Found)"
    assert error.message == f"Could not scrape {redacted}: ErrorStatus: HTTP 404 Not Found"
    assert error.details["url"] == redacted
    assert PASSWORD not in shown
    assert TOKEN not in shown
    assert redacted in shown


def test_an_unreachable_epg_source_shows_no_credentials(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    url = closed_port_url().replace("http://", f"http://u:{PASSWORD}@") + f"/g.xml?key={TOKEN}"
    with TestClient(create_app(make_settings(epg_urls=url))) as client:
        run_task(client, "epg_refresh")
        shown = _everything_shown(client)

    assert "[REDACTED]" in shown
    assert PASSWORD not in shown
    assert TOKEN not in shown


def test_acexy_credentials_are_not_in_the_peer_error(make_settings: SettingsFactory) -> None:
    acexy = closed_port_url().replace("http://", f"http://admin:{PASSWORD}@") + f"?auth={TOKEN}"
    with TestClient(create_app(make_settings(acexy_url=acexy))) as client:
        body = client.get("/api/v1/streams/active").json()
        shown = _everything_shown(client)

    assert body["error"].startswith("acexy not reachable at http://[REDACTED]@127.0.0.1:")
    assert PASSWORD not in shown
    assert TOKEN not in shown


def test_a_database_error_shows_no_statement_parameters(
    make_settings: SettingsFactory, run_task: RunTask, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite does not enforce VARCHAR lengths: no DataError to provoke")
    # The guide channel matches the scraped one by name, so the refresh stores it: its
    # 300-character id overflows epg_channels.id (200) with the name among the parameters.
    playlist = f"#EXTM3U\n#EXTINF:-1,secret-display-name\nacestream://{'c' * 40}\n".encode()
    guide = (
        f'<tv><channel id="{"x" * 300}"><display-name>secret-display-name</display-name>'
        "</channel></tv>"
    ).encode()
    pages = {"/list.m3u": Page(body=playlist), "/g.xml": Page(body=guide)}
    with serve_pages(pages) as site:
        settings = make_settings(scrape_urls=site.url("/list.m3u"), epg_urls=site.url("/g.xml"))
        client = TestClient(create_app(settings))
        with client:
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            # The scrape's follow-up refresh stores the matched channel.
            assert runs.wait_for_runs("epg_refresh", 1, timeout=30)
            statuses = client.get("/api/v1/background-tasks/status").json()["tasks"]
            [task] = [task for task in statuses if task["task_name"] == "epg_refresh"]
            shown = _everything_shown(client)

    assert task["status"] == "error"
    assert "StringDataRightTruncation" in str(task["last_error"])
    assert "parameters hidden" in str(task["last_error"])
    assert "secret-display-name" not in shown


def test_the_playlist_token_is_in_no_access_log_and_no_exported_span(
    make_settings: SettingsFactory, caplog: pytest.LogCaptureFixture
) -> None:
    api_token = f"{TOKEN}-0123456789"
    access_log = logging.getLogger("uvicorn.access")
    with receive_otlp() as collector:
        settings = make_settings(
            api_token=api_token, api_read_auth=True, otel_exporter_otlp_endpoint=collector.endpoint
        )
        with serve_app(settings, log_level="info") as url:
            access_log.addHandler(caplog.handler)
            try:
                response = httpx.get(f"{url}/playlist.m3u", params={"token": api_token})
            finally:
                access_log.removeHandler(caplog.handler)

    assert response.status_code == 404  # authorised; no playlist written yet
    [record] = [r for r in caplog.records if r.name == "uvicorn.access"]
    line = AccessFormatter('%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert line == 'GET /playlist.m3u?token=[REDACTED] HTTP/1.1" 404 Not Found'
    [span] = [span for span in collector.spans if span.name == "GET /playlist.m3u"]
    exported = collector.attributes(span)
    assert exported["http.url"].endswith("/playlist.m3u?token=[REDACTED]")
    assert all(TOKEN not in str(value) for value in exported.values())
