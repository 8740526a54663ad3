"""The EPG refresh: download XMLTV sources, count programmes, match channels."""

import tempfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.repositories import channels as channels_repository
from app.services.fetch import Fetcher, FetchError
from app.services.xmltv import (
    XmltvChannel,
    XmltvError,
    XmltvSummary,
    match_channels,
    parse_xmltv,
)
from app.utils.activity import ActivityRecorder
from app.utils.cancel import CancelToken

MAX_DOWNLOAD_BYTES = 200_000_000
# What a source may expand to once decompressed: generous for real guides, fatal to bombs.
MAX_XML_BYTES = 1_000_000_000
# Downloads are kept in memory up to this size, on disk beyond it.
_SPOOL_BYTES = 8_000_000


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

        A failing source is named in `failed_urls` and recorded as an error; the others
        still count. Raises Interrupted, storing nothing, once `cancel` is set.
        """
        rows: dict[str, dict[str, Any]] = {}
        guide_channels: dict[str, XmltvChannel] = {}
        failed: list[str] = []
        programmes = 0
        for url in self._urls:
            try:
                summary = self._read(url, cancel)
            except (FetchError, XmltvError) as exc:
                failed.append(url)
                self._recorder.record_exception(
                    exc, f"Could not read EPG {url}", details={"url": url, "reason": str(exc)}
                )
                continue
            programmes += summary.programmes
            guide_channels.update(summary.channels)
            for channel_id, channel in summary.channels.items():
                rows[channel_id] = {
                    "id": channel_id,
                    "display_name": channel.display_names[0] if channel.display_names else None,
                    "programme_count": summary.programmes_per_channel.get(channel_id, 0),
                    "source_url": url,
                    "updated_at": now,
                }
        with self._sessions.begin() as session:
            channels_repository.replace_epg_channels(session, list(rows.values()))
            matches = match_channels(guide_channels, channels_repository.all_channel_keys(session))
            channels_repository.set_epg_matches(session, matches)
        return {
            "programs": programmes,
            "channels": len(rows),
            "matched": len(matches),
            "failed_urls": failed,
        }

    def _read(self, url: str, cancel: CancelToken) -> XmltvSummary:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as buffer:
            self._fetcher.download(url, buffer, max_bytes=MAX_DOWNLOAD_BYTES, cancel=cancel)
            buffer.seek(0)
            return parse_xmltv(buffer, max_bytes=MAX_XML_BYTES)
