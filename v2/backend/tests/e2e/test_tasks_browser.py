"""The tasks section and the activity log in real headless Chromium (issue #18, items 6-8):
the focus after Pause, the Run now names, the log at 375 px."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import LA1_M3U, live_settings, run_script
from tests.fakes.http_peer import serve_fake_peer
from tests.fakes.web import Page, serve_pages
from tests.live import serve_app


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """The service with its scheduler on: the start-up scrape and status checks fill the log."""
    with (
        serve_pages({"/list.m3u": Page(body=LA1_M3U)}) as site,
        serve_fake_peer("acexy") as acexy,
        serve_fake_peer("engine") as engine,
    ):
        settings = live_settings(
            tmp_path,
            scrape_urls=site.url("/list.m3u"),
            acexy_url=acexy.base_url,
            acestream_engine_url=engine.base_url,
        )
        with serve_app(settings) as url:
            yield url


def test_focus_stays_after_pause_and_the_log_fits_a_phone(live_url: str, tmp_path: Path) -> None:
    run_script("tasks.mjs", live_url, tmp_path)
