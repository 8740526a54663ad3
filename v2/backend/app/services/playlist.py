"""The M3U playlist of current channels, written atomically into DATA_DIR."""

import os
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy.orm import Session, sessionmaker

from app.models import Channel
from app.repositories import channels as channels_repository

PLAYLIST_FILE_NAME = "playlist.m3u"


def _attribute(value: str | None) -> str:
    """An attribute value: M3U has no escape for a quote inside one (no reader unescapes
    `&quot;`), so `"` becomes `'`; a line break would end the `#EXTINF` line."""
    return _one_line(value).replace('"', "'")


def _url_attribute(value: str | None) -> str:
    """A URL attribute value, with its commas percent-encoded (same URL): VLC splits the
    `#EXTINF` line at commas, so a CDN logo URL such as `.../c_pad,w_405/x` cut the line."""
    return _attribute(value).replace(",", "%2C")


def _one_line(value: str | None) -> str:
    return (value or "").replace("\r", " ").replace("\n", " ")


def render_playlist(channels: list[Channel], *, stream_base_url: str) -> str:
    """An #EXTM3U document with one entry per channel, streamed through `stream_base_url`.

    The name after the comma is written as it is (quotes and commas included: readers take
    the rest of the line). tvg-id comes last: it has no comma in practice, and m3u-parser
    takes the first comma not followed by another `="..."` as the end of the attributes, so a
    comma in a last group-title ("DAZN, Fútbol") would have cut the name there.
    """
    lines = ["#EXTM3U"]
    for channel in channels:
        name = _one_line(channel.name) or channel.content_id
        attributes = [f'tvg-name="{_attribute(name)}"']
        if channel.tvg_logo:
            attributes.append(f'tvg-logo="{_url_attribute(channel.tvg_logo)}"')
        if channel.group_title:
            attributes.append(f'group-title="{_attribute(channel.group_title)}"')
        attributes.append(f'tvg-id="{_attribute(channel.tvg_id or channel.epg_channel_id)}"')
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

    def read_with_token(self, token: str) -> bytes:
        """The playlist with `&token=` on each stream URL, for a reader that needed the token
        (API_READ_AUTH=true) and whose player will need it for each stream too. The file
        itself never holds the token: it is one file for every reader."""
        prefix = f"{self._stream_base_url}/ace/getstream?"
        suffix = f"&token={quote(token, safe='')}"
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return "".join(
            line + (suffix if line.startswith(prefix) else "") + "\n" for line in lines
        ).encode()
