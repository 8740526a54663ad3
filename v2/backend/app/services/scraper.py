"""The scrape: fetch SCRAPE_URLS a few at a time, extract AceStream ids, upsert channels.

A page that links M3U lists has them followed one level deep (at most MAX_LINKED_LISTS per page,
each within the same size and time limits); their channels count as the page's.
"""

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.domain.source_failures import SourceFailure, settle_sources
from app.parsing.acestream import ScrapedChannel, extract_channels, linked_playlists
from app.peers.fetch import Fetcher, FetchError
from app.repositories import channels as channels_repository
from app.utils.activity import ActivityRecorder, ActivityType
from app.utils.cancel import CancelToken

MAX_PAGE_BYTES = 5_000_000
CONCURRENT_FETCHES = 4


class ScraperService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        urls: Sequence[str],
        fetcher: Fetcher,
        *,
        bare_ids: bool = False,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._urls = list(urls)
        self._fetcher = fetcher
        self._bare_ids = bare_ids

    def scrape(self, now: datetime, cancel: CancelToken) -> dict[str, Any]:
        """Scrape every URL; a failing one is named in the result and recorded as an error.

        Returns e.g. {"urls": 3, "channels_found": 120, "new": 4, "failed_urls": []}, with
        `warnings` naming each failed source and why when some failed (see settle_sources).
        Raises AllSourcesFailed, storing nothing, when every source failed, and Interrupted,
        storing nothing, once `cancel` is set.
        """
        with ThreadPoolExecutor(CONCURRENT_FETCHES) as pool:
            pages = list(pool.map(lambda url: self._fetch(url, cancel), self._urls))
        found: dict[channels_repository.ChannelKey, dict[str, Any]] = {}
        scraped_sources: list[str] = []
        failed: list[SourceFailure] = []
        for url, channels in zip(self._urls, pages, strict=True):
            if isinstance(channels, SourceFailure):
                failed.append(channels)
                continue
            scraped_sources.append(url)
            for channel in channels:
                found.setdefault((channel.content_id, channel.kind), _row(channel, url, now))
        outcome = settle_sources(len(self._urls), failed)
        with self._sessions.begin() as session:
            known = channels_repository.existing_channel_keys(session, list(found))
            channels_repository.upsert_channels(session, list(found.values()))
            channels_repository.mark_unseen(session, source_urls=scraped_sources, seen_before=now)
        if self._urls:  # with no SCRAPE_URLS, "Scraped 0 of 0" would say nothing, each hour
            self._recorder.record(
                ActivityType.SCRAPE,
                f"Scraped {len(scraped_sources)} of {len(self._urls)} sources: "
                f"{len(found)} channels, {len(found) - len(known)} new",
                details={"sources": scraped_sources, "failed_urls": outcome["failed_urls"]},
            )
        return {
            "urls": len(self._urls),
            "channels_found": len(found),
            "new": len(found) - len(known),
        } | outcome

    def _fetch(
        self, url: str, cancel: CancelToken, *, follow_lists: bool = True
    ) -> list[ScrapedChannel] | SourceFailure:
        """The channels at `url`, or why it could not be read (also recorded as an error)."""
        try:
            text = self._fetcher.fetch_text(url, max_bytes=MAX_PAGE_BYTES, cancel=cancel)
        except FetchError as exc:
            self._recorder.record_exception(
                exc, f"Could not scrape {url}", details={"url": url, "reason": str(exc)}
            )
            return SourceFailure(url, str(exc))
        channels = extract_channels(text, source_url=url, bare_ids=self._bare_ids)
        if follow_lists:
            channels += self._linked_channels(text, url, cancel)
        return channels

    def _linked_channels(self, text: str, url: str, cancel: CancelToken) -> list[ScrapedChannel]:
        """The channels of the lists the page at `url` links to; a list that cannot be fetched
        is recorded as an error and skipped (the page itself was read)."""
        channels: list[ScrapedChannel] = []
        for list_url in linked_playlists(text, source_url=url):
            linked = self._fetch(list_url, cancel, follow_lists=False)
            if not isinstance(linked, SourceFailure):
                channels += linked
        return channels


def _row(channel: ScrapedChannel, source_url: str, now: datetime) -> dict[str, Any]:
    return {
        "content_id": channel.content_id,
        "id_kind": channel.kind,
        "name": channel.name,
        "tvg_id": channel.tvg_id,
        "tvg_logo": channel.tvg_logo,
        "group_title": channel.group_title,
        "source_url": source_url,
        "first_seen": now,
        "last_seen": now,
        "seen_in_latest_scrape": True,
    }
