"""GET /metrics: the same facts as the REST answers, valid for promtool, bounded labels."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import RunTask, SettingsFactory
from tests.factories import make_channel
from tests.fakes.http_peer import FakePeer, FakeStream, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli
from tests.fakes.web import Page, serve_pages
from tests.polling import eventually

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _samples(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _timestamp(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


@pytest.fixture
def peers() -> Iterator[tuple[FakePeer, FakePeer]]:
    with serve_fake_peer("acexy") as acexy, serve_fake_peer("engine") as engine:
        acexy.streams = [FakeStream("a" * 40, "b" * 40, 1), FakeStream("c" * 40, "d" * 40, 3)]
        yield acexy, engine


@pytest.fixture
def live(
    make_settings: SettingsFactory, peers: tuple[FakePeer, FakePeer], tmp_path: Path
) -> Iterator[TestClient]:
    acexy, engine = peers
    settings = make_settings(
        acexy_url=acexy.base_url,
        acestream_engine_url=engine.base_url,
        warp_cli=make_fake_warp_cli(tmp_path, "json-connected"),
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_metrics_and_rest_answers_agree(live: TestClient, run_task: RunTask) -> None:
    run_task(live, "activity_cleanup")
    streams = live.get("/api/v1/streams/active").json()
    warp = live.get("/api/v1/warp/status").json()
    tasks = live.get("/api/v1/background-tasks/status").json()["tasks"]

    samples = _samples(live)

    assert samples[("acestream_active_streams", ())] == streams["count"] == 2
    assert samples[("acestream_acexy_up", ())] == 1
    assert samples[("acestream_engine_up", ())] == 1
    assert samples[("acestream_warp_connected", ())] == (warp["status"] == "connected") == 1
    for state in ("connected", "connecting", "disconnected", "error", "unavailable"):
        expected = 1 if state == warp["status"] else 0
        assert samples[("acestream_warp_status", (("state", state),))] == expected
    assert samples[("acestream_peer_check_timestamp_seconds", (("peer", "acexy"),))] == (
        _timestamp(streams["checked_at"])
    )
    for task in tasks:
        label = (("task", task["task_name"]),)
        assert samples[("acestream_task_overdue", label)] == task["overdue"]
        assert samples[("acestream_task_degraded", label)] == task["degraded"]
        assert samples[("acestream_task_status", (("status", task["status"]), *label))] == 1
        if task["last_run"]:
            last_run = samples[("acestream_task_last_run_timestamp_seconds", label)]
            assert last_run == pytest.approx(_timestamp(task["last_run"]))
        else:
            assert ("acestream_task_last_run_timestamp_seconds", label) not in samples
    cleanup = (("outcome", "success"), ("task", "activity_cleanup"))
    assert samples[("acestream_task_runs_total", cleanup)] == 1
    assert samples[("acestream_task_duration_seconds_count", (("task", "activity_cleanup"),))] == 1


def test_each_playing_stream_has_the_series_rest_gives_it(
    make_settings: SettingsFactory, peers: tuple[FakePeer, FakePeer], tmp_path: Path
) -> None:
    acexy, engine = peers
    # Meikkun's acexy lists what plays: one of our channels, one by infohash, one not ours.
    acexy.mode = "acexy-meikkun"
    acexy.streams = [
        FakeStream("a" * 40, "", 2),
        FakeStream("", "b" * 40, 1),
        FakeStream("c" * 40, "", 3),
    ]
    settings = make_settings(
        acexy_url=acexy.base_url,
        acestream_engine_url=engine.base_url,
        warp_cli=make_fake_warp_cli(tmp_path, "json-connected"),
    )
    with TestClient(create_app(settings)) as client:
        with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            make_channel(session, "a" * 40, "La 1 HD")
        streams = client.get("/api/v1/streams/active").json()["streams"]
        samples = _samples(client)

    assert [stream["channel"] and stream["channel"]["name"] for stream in streams] == [
        "La 1 HD",
        None,
        None,
    ]
    per_stream = {
        (name, labels): value
        for (name, labels), value in samples.items()
        if name.startswith("acestream_stream_") and name != "acestream_stream_sessions_total"
    }
    expected: Samples = {}
    for stream in streams:
        labels = (
            ("channel", stream["channel"]["name"] if stream["channel"] else ""),
            ("stream_id", stream["id"] or stream["infohash"]),
        )
        expected[("acestream_stream_clients", labels)] = stream["clients"]
        expected[("acestream_stream_stalled", labels)] = stream["stalled"]
        for figure, metric, factor in (
            ("peers", "acestream_stream_peers", 1),
            ("speed_down_kbps", "acestream_stream_download_bytes_per_second", 1024),
            ("speed_up_kbps", "acestream_stream_upload_bytes_per_second", 1024),
        ):
            if stream.get(figure) is not None:
                expected[(metric, labels)] = stream[figure] * factor
    assert per_stream == expected
    assert (
        per_stream[("acestream_stream_clients", (("channel", "La 1 HD"), ("stream_id", "a" * 40)))]
        == 2
    )
    assert ("acestream_stream_sessions_total", ()) in samples


def test_an_unknown_stream_count_is_absent_not_zero(client: TestClient) -> None:
    samples = _samples(client)

    assert client.get("/api/v1/streams/active").json()["count"] is None
    assert ("acestream_active_streams", ()) not in samples
    assert samples[("acestream_acexy_up", ())] == 0
    assert samples[("acestream_warp_status", (("state", "unavailable"),))] == 1


def test_activity_events_are_counted_by_type(client: TestClient) -> None:
    before = _samples(client)[("acestream_activity_events_total", (("type", "user_action"),))]

    client.put("/api/v1/config/dashboard", json={"retention_days": 3})

    after = _samples(client)[("acestream_activity_events_total", (("type", "user_action"),))]
    assert after == before + 1


def test_lost_activity_is_counted_by_reason_from_the_start(
    make_settings: SettingsFactory,
) -> None:
    with TestClient(create_app(make_settings(activity_export="batch"))) as client:
        samples = _samples(client)

    for reason in ("queue_full", "database"):
        assert samples[("acestream_activity_rows_dropped_total", (("reason", reason),))] == 0


def test_no_created_timestamps_are_exported(client: TestClient) -> None:
    assert [name for name, _labels in _samples(client) if name.endswith("_created")] == []


def test_http_metrics_use_route_templates_not_raw_paths(client: TestClient) -> None:
    client.get("/api/v1/background-tasks/scrape/runs")
    client.get("/api/v1/background-tasks/epg_refresh/runs")
    client.get("/no/such/page")

    samples = _samples(client)

    runs = (
        ("method", "GET"),
        ("route", "/api/v1/background-tasks/{task_name}/runs"),
        ("status", "200"),
    )
    assert samples[("acestream_http_requests_total", runs)] == 2
    unmatched = (("method", "GET"), ("route", "unmatched"), ("status", "404"))
    assert samples[("acestream_http_requests_total", unmatched)] == 1
    assert not any("scrape" in dict(labels).get("route", "") for _, labels in samples)


def test_openmetrics_is_served_when_asked_for(client: TestClient) -> None:
    response = client.get(
        "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")


def test_promtool_accepts_the_exposition(live: TestClient) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        if os.environ.get("REQUIRE_PROMETHEUS") == "1":
            pytest.fail("promtool is missing (apt-get install prometheus)")
        pytest.skip("promtool not installed; REQUIRE_PROMETHEUS=1 makes this a failure")
    exposition = live.get("/metrics").text

    checked = subprocess.run(
        [promtool, "check", "metrics"],
        input=exposition,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout + checked.stderr == ""


def test_a_partial_run_is_degraded_alike_in_metrics_and_rest(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_pages({"/list.m3u": Page(body=b"#EXTM3U\n")}) as site:
        urls = f"{site.url('/list.m3u')},{site.url('/gone.m3u')}"
        with TestClient(create_app(make_settings(scrape_urls=urls))) as client:
            task = run_task(client, "scrape")
            samples = _samples(client)

    scrape = (("task", "scrape"),)
    assert task["degraded"] is True
    assert samples[("acestream_task_degraded", scrape)] == 1
    assert samples[("acestream_task_degraded", (("task", "epg_refresh"),))] == 0
    # A degraded success is still idle: rules on acestream_task_status stay valid.
    assert samples[("acestream_task_status", (("status", "idle"), *scrape))] == 1
    assert samples[("acestream_task_runs_total", (("outcome", "success"), *scrape))] == 1


def test_a_pause_on_another_replica_shows_in_metrics_and_rest_alike(
    make_settings: SettingsFactory,
) -> None:
    paused = ("acestream_task_status", (("status", "paused"), ("task", "scrape")))

    def scrape_is_paused(client: TestClient) -> tuple[bool, bool]:
        tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
        rest = next(task for task in tasks if task["task_name"] == "scrape")
        return _samples(client)[paused] == 1, rest["status"] == "paused"

    with (
        TestClient(create_app(make_settings())) as ours,
        TestClient(create_app(make_settings())) as theirs,
    ):
        before = scrape_is_paused(ours)  # read, and kept by our replica
        response = theirs.post("/api/v1/background-tasks/scrape/pause")
        assert eventually(lambda: scrape_is_paused(ours) == (True, True))
        resumed = ours.post("/api/v1/background-tasks/scrape/resume")
        after = scrape_is_paused(ours)  # our own write: at once

    assert before == (False, False)
    assert response.status_code == resumed.status_code == 200
    assert after == (False, False)


def test_a_channel_named_by_another_replica_shows_in_metrics_and_rest_alike(
    make_settings: SettingsFactory, peers: tuple[FakePeer, FakePeer]
) -> None:
    acexy, engine = peers
    acexy.mode = "acexy-meikkun"  # lists what plays
    acexy.streams = [FakeStream("a" * 40, "", 2)]
    settings = make_settings(acexy_url=acexy.base_url, acestream_engine_url=engine.base_url)
    clients = ("channel", "La 1 HD"), ("stream_id", "a" * 40)

    def named(client: TestClient) -> tuple[bool, bool]:
        streams = client.get("/api/v1/streams/active").json()["streams"]
        rest = streams[0]["channel"] and streams[0]["channel"]["name"] == "La 1 HD"
        return ("acestream_stream_clients", clients) in _samples(client), bool(rest)

    def checked_at(client: TestClient) -> object:
        return client.app.state.services.peer_status.current().checked_at  # type: ignore[attr-defined]

    with TestClient(create_app(settings)) as ours, TestClient(create_app(settings)) as theirs:
        # Once ours has their (later) peer check, what plays stays the same for both.
        assert eventually(lambda: checked_at(ours) == checked_at(theirs))
        before = named(ours)  # read, and kept by our replica
        with Session(theirs.app.state.engine) as session:  # type: ignore[attr-defined]
            make_channel(session, "a" * 40, "La 1 HD")

        assert eventually(lambda: named(ours) == (True, True))
    assert before == (False, False)
