"""The Uptime and Notifications sections in real headless Chromium against the live service:
a fake acexy playing one stream (tracked, so it has state changes), WARP disconnected (so a
notification is decided after a zero grace and delivered to a local webhook)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import LA1_ID, LA1_M3U, live_settings, run_script
from tests.fakes.http_peer import FakeStat, FakeStream, serve_fake_peer
from tests.fakes.notify_receivers import Webhook, serve_webhook
from tests.fakes.web import Page, serve_pages
from tests.live import serve_app

INFOHASH = "b" * 40


@pytest.fixture
def hook() -> Iterator[Webhook]:
    with serve_webhook() as webhook:
        yield webhook


@pytest.fixture
def live_url(tmp_path: Path, hook: Webhook) -> Iterator[str]:
    with (
        serve_pages({"/list.m3u": Page(body=LA1_M3U)}) as site,
        serve_fake_peer("acexy-meikkun") as acexy,  # lists its streams: tracked at once
        serve_fake_peer("engine") as engine,
    ):
        acexy.streams = [FakeStream(LA1_ID, INFOHASH, 1, engine_url=engine.base_url)]
        engine.stats[INFOHASH] = FakeStat(peers=7)
        settings = live_settings(
            tmp_path,
            warp="text-disconnected",
            scrape_urls=site.url("/list.m3u"),
            acexy_url=acexy.base_url,
            acestream_engine_url=engine.base_url,
            notify_urls=hook.url,
            notify_grace_seconds=0,
        )
        with serve_app(settings) as url:
            yield url


def test_uptime_lists_streams_apart_and_notifications_show_the_sent_message(
    live_url: str, hook: Webhook, tmp_path: Path
) -> None:
    run_script("uptime.mjs", live_url, tmp_path, {"STREAM_NAME": "La 1"})

    assert "WARP is disconnected" in [message["title"] for message in hook.received]
    assert (tmp_path / "uptime-1280.png").stat().st_size > 10_000
    assert (tmp_path / "uptime-375.png").stat().st_size > 10_000
