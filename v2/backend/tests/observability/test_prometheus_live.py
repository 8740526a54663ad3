"""A real Prometheus scrapes the live app; every board and rule expression is evaluated.

A renamed metric therefore breaks this test instead of a user's board or alert.
"""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy.orm import Session

from app.core.db import create_db_engine
from tests.conftest import build_test_settings
from tests.factories import make_channel
from tests.fakes.http_peer import FakePeer, FakeStat, FakeStream, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli
from tests.live import free_port, serve_app
from tests.observability.expressions import all_promql_expressions

ROOT = Path(__file__).resolve().parents[4]
OUR_METRIC = re.compile(r"\bacestream(?:_[a-z0-9_]+|:[a-z0-9_:]+)")
# An expression that compares with a number may rightly select nothing (an alert at rest).
COMPARISON = re.compile(r"(?:>|<|==|!=)\s*[0-9.]+|\bbool\b")
SCRAPES_NEEDED = 4
API_TOKEN = "prometheus-reads-0123456789"
STREAM_ID = "a" * 40
CHANNEL = "La 1 HD"
INFOHASH = "b" * 40


def _prometheus_binary() -> str:
    binary = shutil.which("prometheus")
    if binary is None:
        if os.environ.get("REQUIRE_PROMETHEUS") == "1":
            pytest.fail("prometheus is missing (apt-get install prometheus)")
        pytest.skip("prometheus not installed; REQUIRE_PROMETHEUS=1 makes this a failure")
    return binary


@pytest.fixture(scope="module")
def peers() -> Iterator[tuple[FakePeer, FakePeer]]:
    # Meikkun's acexy lists what plays, so the per-stream series exist.
    with serve_fake_peer("acexy-meikkun") as acexy, serve_fake_peer("engine") as engine:
        acexy.streams = [FakeStream(STREAM_ID, INFOHASH, 2, engine_url=engine.base_url)]
        engine.stats[INFOHASH] = FakeStat(peers=17, speed_down=812, speed_up=96)
        yield acexy, engine


def _add_channel(database_url: str) -> None:
    """Make the playing stream one of our channels, so its series carry the channel's name."""
    engine = create_db_engine(database_url)
    try:
        with Session(engine) as session:
            make_channel(session, STREAM_ID, CHANNEL)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def prometheus(
    peers: tuple[FakePeer, FakePeer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """Prometheus (1 s scrapes, our rules loaded) scraping the app, after a few scrapes.

    The app needs its token for reads, so Prometheus only scrapes it by sending the token
    from the file prometheus.yml names.
    """
    binary = _prometheus_binary()
    work = tmp_path_factory.mktemp("prometheus")
    acexy, engine = peers
    (work / "secrets").mkdir()
    (work / "secrets" / "api_token").write_text(f"{API_TOKEN}\n")
    database_url = f"sqlite:///{work / 'app.db'}"
    settings = build_test_settings(
        database_url,
        work,
        api_token=API_TOKEN,
        api_read_auth=True,
        scheduler_enabled=True,
        acexy_url=acexy.base_url,
        acestream_engine_url=engine.base_url,
        warp_cli=make_fake_warp_cli(work, "text-connected"),
    )
    with serve_app(settings) as app_url:
        _add_channel(database_url)
        config = yaml.safe_load((ROOT / "prometheus" / "prometheus.yml").read_text())
        config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
        config["rule_files"] = [str(path) for path in (ROOT / "prometheus" / "rules").glob("*.yml")]
        [job] = [job for job in config["scrape_configs"] if job["job_name"] == "acestream-scraper"]
        job["static_configs"] = [{"targets": [app_url.removeprefix("http://")]}]
        (work / "prometheus.yml").write_text(yaml.safe_dump(config))
        port = free_port()
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={work / 'prometheus.yml'}",
                f"--storage.tsdb.path={work / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                _wait_for_scrapes(client, process)
                yield client
        finally:
            process.terminate()
            process.wait(timeout=30)
            if process.stderr is not None:
                process.stderr.close()


def _wait_for_scrapes(client: httpx.Client, process: subprocess.Popen[bytes]) -> None:
    """Poll Prometheus (it offers no push signal) until it has scraped the app a few times."""
    deadline = time.monotonic() + 60
    query = 'count_over_time(up{job="acestream-scraper"}[1m])'
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"prometheus exited: {stderr[-2000:]}")
        try:
            answer = client.get("/api/v1/query", params={"query": query})
        except httpx.TransportError:
            answer = None  # not listening yet
        ready = answer is not None and answer.status_code == 200
        result = answer.json()["data"]["result"] if ready and answer else []
        if result and float(result[0]["value"][1]) >= SCRAPES_NEEDED:
            return
        time.sleep(0.2)  # sync-ok: polling an external process that cannot notify us
    pytest.fail("prometheus did not scrape the app in time")


def _query(client: httpx.Client, expression: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/api/v1/query", params={"query": expression}).json()
    return body


def test_prometheus_scrapes_the_app_and_it_is_up(prometheus: httpx.Client) -> None:
    [up] = _query(prometheus, 'up{job="acestream-scraper"}')["data"]["result"]

    assert up["value"][1] == "1"


def test_every_dashboard_and_rule_expression_parses_and_finds_our_metrics(
    prometheus: httpx.Client,
) -> None:
    problems = []
    for source, expression in all_promql_expressions():
        answer = _query(prometheus, expression)
        if answer["status"] != "success":
            problems.append(f"{source}: {expression!r} does not parse: {answer.get('error')}")
            continue
        ours = set(OUR_METRIC.findall(expression))
        for name in ours:
            series = prometheus.get("/api/v1/series", params={"match[]": name}).json()
            if not series["data"]:
                problems.append(f"{source}: {expression!r} uses {name}, which has no series")
        selects_everything = ours and not COMPARISON.search(expression)
        if selects_everything and not answer["data"]["result"]:
            problems.append(f"{source}: {expression!r} returned no data")

    assert problems == []


def test_rules_load_and_alerts_reflect_the_live_state(prometheus: httpx.Client) -> None:
    groups = prometheus.get("/api/v1/rules").json()["data"]["groups"]
    rules = [rule for group in groups for rule in group["rules"]]

    assert rules
    assert all(rule["health"] == "ok" for rule in rules), [
        (rule["name"], rule.get("lastError")) for rule in rules if rule["health"] != "ok"
    ]
    firing = {
        alert["labels"]["alertname"]
        for alert in prometheus.get("/api/v1/alerts").json()["data"]["alerts"]
    }
    # The fake peers are healthy, WARP is connected and the stream is not stalled.
    assert not firing & {
        "AcestreamAcexyDown",
        "AcestreamEngineDown",
        "AcestreamWarpDisconnected",
        "AcestreamStreamStalled",
    }


def test_a_playing_stream_is_scraped_with_its_channel(prometheus: httpx.Client) -> None:
    labels = {"job": "acestream-scraper", "stream_id": STREAM_ID, "channel": CHANNEL}

    [clients] = _query(prometheus, "acestream_stream_clients")["data"]["result"]
    [stalled] = _query(prometheus, "acestream_stream_stalled")["data"]["result"]
    [sessions] = _query(prometheus, "acestream_stream_sessions_total")["data"]["result"]

    assert labels.items() <= clients["metric"].items()
    assert clients["value"][1] == "2"
    assert labels.items() <= stalled["metric"].items()
    assert stalled["value"][1] == "0"
    assert sessions["value"][1] == "1"
    [peers] = _query(prometheus, "acestream_stream_peers")["data"]["result"]
    [download] = _query(prometheus, "acestream_stream_download_bytes_per_second")["data"]["result"]
    assert labels.items() <= peers["metric"].items()
    assert peers["value"][1] == "17"
    assert download["value"][1] == str(812 * 1024)
