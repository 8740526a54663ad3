"""Knowing what plays: the playlist's stream URLs reach the service, which redirects each to
acexy (playback never passes through us) and records the channel, the time and the player."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from sqlalchemy.orm import Session, sessionmaker

from app.exceptions import NotFound
from app.models import Channel, StreamPlay
from app.repositories import channels as channels_repository
from app.repositories import stream_plays as plays_repository
from app.repositories.channels import ChannelKey
from app.schemas.peers import ActiveStreams, StreamChannel, StreamViewer
from app.services.playlist import without_user_info

IdParameter = Literal["id", "infohash"]
_KIND_OF_PARAMETER: dict[IdParameter, str] = {"id": "content_id", "infohash": "infohash"}
# A redirect counts as watching a stream for this long: a match or a film, with its pauses.
VIEWER_WINDOW = timedelta(hours=6)
_USER_AGENT_CHARACTERS = 512


def stream_key(content_id: str | None, infohash: str | None) -> ChannelKey | None:
    """The channel key of a stream acexy reports (by content id, else by infohash)."""
    if content_id:
        return (content_id.lower(), "content_id")
    if infohash:
        return (infohash.lower(), "infohash")
    return None


class StreamPlayService:
    def __init__(
        self, session_factory: sessionmaker[Session], *, acexy_url: str, client_details: bool
    ) -> None:
        self._sessions = session_factory
        self._acexy_url = without_user_info(acexy_url).rstrip("/")
        self._client_details = client_details

    def redirect(
        self,
        parameter: IdParameter,
        content_id: str,
        extra: Iterable[tuple[str, str]],
        *,
        address: str | None,
        user_agent: str | None,
        now: datetime,
        record: bool,
    ) -> str:
        """acexy's URL for one of our channels, with `extra` query parameters kept; the play
        is recorded first (unless `record` is false). NotFound when the id is not one of our
        channels."""
        key = (content_id.lower(), _KIND_OF_PARAMETER[parameter])
        details = self._client_details
        agent = user_agent[:_USER_AGENT_CHARACTERS] if details and user_agent else None
        with self._sessions.begin() as session:
            if key not in channels_repository.channels_by_key(session, [key]):
                raise NotFound(f"No channel has {parameter} {key[0]}")
            if record:
                plays_repository.record(
                    session,
                    StreamPlay(
                        content_id=key[0],
                        id_kind=key[1],
                        played_at=now,
                        client_address=address if details else None,
                        user_agent=agent,
                    ),
                )
        query = urlencode([(parameter, key[0]), *extra])
        return f"{self._acexy_url}/ace/getstream?{query}"

    def with_channels_and_viewers(self, active: ActiveStreams, now: datetime) -> ActiveStreams:
        """`active` with each stream's channel (ours, if it is) and its recent viewers."""
        keys = [stream_key(stream.id, stream.infohash) for stream in active.streams]
        known = [key for key in keys if key is not None]
        with self._sessions() as session:
            channels = channels_repository.channels_by_key(session, known)
            plays = plays_repository.plays_since(session, known, now - VIEWER_WINDOW)
        viewers = _viewers_by_channel(plays)
        streams = [
            stream.model_copy(
                update={
                    "channel": channel_view(channels.get(key)) if key else None,
                    "viewers": viewers.get(key, []) if key else [],
                }
            )
            for stream, key in zip(active.streams, keys, strict=True)
        ]
        return active.model_copy(update={"streams": streams})


def channel_view(channel: Channel | None) -> StreamChannel | None:
    if channel is None:
        return None
    return StreamChannel(
        name=channel.name,
        group=channel.group_title,
        logo=channel.tvg_logo,
        tvg_id=channel.tvg_id or channel.epg_channel_id,
    )


def _viewers_by_channel(plays: Sequence[StreamPlay]) -> dict[ChannelKey, list[StreamViewer]]:
    """One viewer per (address, user agent) of each channel, from plays newest first."""
    viewers: dict[ChannelKey, list[StreamViewer]] = {}
    seen: set[tuple[ChannelKey, str | None, str | None]] = set()
    for play in plays:
        key = (play.content_id, play.id_kind)
        if (key, play.client_address, play.user_agent) in seen:
            continue
        seen.add((key, play.client_address, play.user_agent))
        viewer = StreamViewer(
            address=play.client_address, user_agent=play.user_agent, since=play.played_at
        )
        viewers.setdefault(key, []).append(viewer)
    return viewers
