"""The built page in real headless Chromium against the live service and fake peers."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import LA1_M3U, live_settings, run_script
from tests.fakes.http_peer import FakeStream, serve_fake_peer
from tests.fakes.web import Page, serve_pages
from tests.live import serve_app


@pytest.fixture
def other_site() -> Iterator[str]:
    """A web site on another origin: the scraped list, and a page for the cross-site check."""
    pages = {"/list.m3u": Page(body=LA1_M3U), "/elsewhere.html": Page(body=b"<!doctype html>")}
    with serve_pages(pages) as site:
        yield site.url("")


@pytest.fixture
def live_url(tmp_path: Path, other_site: str) -> Iterator[str]:
    with (
        serve_fake_peer("acexy") as acexy,
        serve_fake_peer("engine") as engine,
    ):
        acexy.streams = [FakeStream("a" * 40, "b" * 40, 2)]
        settings = live_settings(
            tmp_path,
            scrape_urls=f"{other_site}/list.m3u",
            acexy_url=acexy.base_url,
            acestream_engine_url=engine.base_url,
        )
        with serve_app(settings) as url:
            yield url


def test_the_dashboard_shows_live_data_in_chromium(
    live_url: str, other_site: str, tmp_path: Path
) -> None:
    run_script(
        "dashboard.mjs",
        live_url,
        tmp_path,
        {"OTHER_SITE_URL": f"{other_site}/elsewhere.html"},
    )

    assert (tmp_path / "dashboard-1280.png").stat().st_size > 10_000
    assert (tmp_path / "dashboard-375.png").stat().st_size > 10_000
    assert (tmp_path / "docs-1280.png").stat().st_size > 10_000
