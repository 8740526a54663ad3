"""The EPG refresh: download XMLTV sources, count programmes, match channels."""

import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from app.domain.source_failures import SourceFailure, settle_sources
from app.parsing.epg_matching import GuideMatcher
from app.parsing.xmltv import XmltvError, read_xmltv
from app.peers.fetch import Fetcher, FetchError
from app.repositories import channels as channels_repository
from app.utils.activity import ActivityRecorder, ActivityType
from app.utils.cancel import CancelToken

MAX_DOWNLOAD_BYTES = 200_000_000
# What a source may expand to once decompressed: generous for real guides, fatal to bombs.
MAX_XML_BYTES = 1_000_000_000
# Downloads are kept in memory up to this size, on disk beyond it.
_SPOOL_BYTES = 8_000_000
# Rows written per transaction. Each one holds SQLite's write lock only briefly, so other
# writers (status checks every 15 s, the activity exporter) get it in between; one
# transaction for a whole guide held it long enough for them to fail with "database is
# locked".
_ROWS_PER_TRANSACTION = 500

T = TypeVar("T")


class EpgService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        urls: Sequence[str],
        fetcher: Fetcher,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._urls = list(urls)
        self._fetcher = fetcher

    def refresh(self, now: datetime, cancel: CancelToken) -> dict[str, Any]:
        """Read every source; returns e.g. {"programs": 1200, "channels": 40, "matched": 35}.

        `programs` and `channels` count the sources' <programme> and <channel> elements (a
        channel two sources declare counts twice). Only the guide channels that match a scraped
        channel are stored, with their programme counts. A failing source is named in
        `failed_urls` and `warnings` and recorded as an error; the others still count, and
        one activity entry sums the refresh up (sources read, programmes, channels, matches).
        Raises AllSourcesFailed, storing nothing, when every source failed (the stored guide
        stays as it was), and Interrupted, storing nothing, once `cancel` is set while a
        source is read.
        """
        with self._sessions() as session:
            matcher = GuideMatcher(channels_repository.all_channel_keys(session))
        read_sources: list[str] = []
        failed: list[SourceFailure] = []
        for url in self._urls:
            try:
                self._read(url, matcher, cancel)
                read_sources.append(url)
            except (FetchError, XmltvError) as exc:
                failed.append(SourceFailure(url, str(exc)))
                self._recorder.record_exception(
                    exc, f"Could not read EPG {url}", details={"url": url, "reason": str(exc)}
                )
        outcome = settle_sources(len(self._urls), failed)
        rows = [
            {
                "id": channel.id,
                "display_name": channel.display_name,
                "programme_count": channel.programme_count,
                "source_url": channel.source,
                "updated_at": now,
            }
            for channel in matcher.matched_channels
        ]
        matches = matcher.matches
        # Guide channels first: a scraped channel's link needs its target row.
        self._write_in_batches(rows, channels_repository.replace_epg_channels)
        self._write_in_batches(
            list(matches.items()),
            lambda session, batch: channels_repository.set_epg_matches(session, dict(batch)),
        )
        if self._urls:  # with no EPG_URLS, "Read 0 of 0" would say nothing
            self._recorder.record(
                ActivityType.BACKGROUND_TASK,
                f"Read {len(read_sources)} of {len(self._urls)} guide sources: "
                f"{matcher.programmes} programmes, "
                f"{matcher.channels} channels, {len(matches)} matched",
                details={
                    "sources": read_sources,
                    "failed_urls": outcome["failed_urls"],
                    "programs": matcher.programmes,
                    "channels": matcher.channels,
                    "matched": len(matches),
                },
            )
        return {
            "programs": matcher.programmes,
            "channels": matcher.channels,
            "matched": len(matches),
        } | outcome

    def _write_in_batches(
        self, items: Sequence[T], write: Callable[[Session, Sequence[T]], None]
    ) -> None:
        """`write` each slice of `items` in a transaction of its own (`_ROWS_PER_TRANSACTION`)."""
        for start in range(0, len(items), _ROWS_PER_TRANSACTION):
            with self._sessions.begin() as session:
                write(session, items[start : start + _ROWS_PER_TRANSACTION])

    def _read(self, url: str, matcher: GuideMatcher, cancel: CancelToken) -> None:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as buffer:
            self._fetcher.download(url, buffer, max_bytes=MAX_DOWNLOAD_BYTES, cancel=cancel)
            buffer.seek(0)
            matcher.read(read_xmltv(buffer, max_bytes=MAX_XML_BYTES), source=url)
