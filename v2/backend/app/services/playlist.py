"""The M3U playlist of current channels, written atomically into DATA_DIR."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session, sessionmaker

from app.models import Channel
from app.repositories import channels as channels_repository

PLAYLIST_FILE_NAME = "playlist.m3u"


def _attribute(value: str | None) -> str:
    # Quotes and line breaks would end the attribute or the #EXTINF line early.
    return (value or "").replace('"', "'").replace("\r", " ").replace("\n", " ")


def render_playlist(channels: list[Channel], *, stream_base_url: str) -> str:
    """An #EXTM3U document with one entry per channel, streamed through `stream_base_url`."""
    lines = ["#EXTM3U"]
    for channel in channels:
        name = _attribute(channel.name) or channel.content_id
        attributes = [f'tvg-id="{_attribute(channel.tvg_id or channel.epg_channel_id)}"']
        attributes.append(f'tvg-name="{name}"')
        if channel.tvg_logo:
            attributes.append(f'tvg-logo="{_attribute(channel.tvg_logo)}"')
        if channel.group_title:
            attributes.append(f'group-title="{_attribute(channel.group_title)}"')
        parameter = "infohash" if channel.id_kind == "infohash" else "id"
        lines.append(f"#EXTINF:-1 {' '.join(attributes)},{name}")
        lines.append(f"{stream_base_url}/ace/getstream?{parameter}={channel.content_id}")
    return "\n".join(lines) + "\n"


def without_user_info(url: str) -> str:
    """`url` without `user:password@`: credentials the service uses to reach acexy must not
    be handed to every player (and everyone) that reads the playlist."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


class PlaylistService:
    def __init__(
        self, session_factory: sessionmaker[Session], *, data_dir: Path, stream_base_url: str
    ) -> None:
        self._sessions = session_factory
        self._stream_base_url = without_user_info(stream_base_url)
        self.path = data_dir / PLAYLIST_FILE_NAME

    def generate(self) -> dict[str, object]:
        """Write the playlist; readers see the old file or the new one, never half of one."""
        with self._sessions() as session:
            channels = channels_repository.current_channels(session)
        content = render_playlist(channels, stream_base_url=self._stream_base_url).encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".playlist-")
        try:
            os.fchmod(descriptor, 0o644)  # mkstemp's 0600 would hide it from a sidecar reader
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return {"channels": len(channels), "bytes": len(content)}
