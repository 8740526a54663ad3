"""SQL for scraped channels and EPG channels."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Channel, EpgChannel
from app.repositories.upsert import CHUNK_ROWS, upsert

ChannelKey = tuple[str, str]
"""What identifies a channel: (content_id, id_kind)."""


def existing_channel_keys(session: Session, keys: Sequence[ChannelKey]) -> set[ChannelKey]:
    """Those of `keys` already stored."""
    found: set[ChannelKey] = set()
    for start in range(0, len(keys), CHUNK_ROWS):
        chunk = keys[start : start + CHUNK_ROWS]
        rows = session.execute(
            select(Channel.content_id, Channel.id_kind).where(
                Channel.content_id.in_([content_id for content_id, _ in chunk])
            )
        )
        found.update((row.content_id, row.id_kind) for row in rows)
    return found & set(keys)


def upsert_channels(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new channels, refresh known ones (keeping `first_seen` and any name we had)."""
    upsert(
        session,
        Channel,
        rows,
        keys=[Channel.content_id, Channel.id_kind],
        on_conflict=lambda excluded: {
            "name": func.coalesce(excluded.name, Channel.name),
            "tvg_id": func.coalesce(excluded.tvg_id, Channel.tvg_id),
            "tvg_logo": func.coalesce(excluded.tvg_logo, Channel.tvg_logo),
            "group_title": func.coalesce(excluded.group_title, Channel.group_title),
            "source_url": excluded.source_url,
            "last_seen": excluded.last_seen,
            "seen_in_latest_scrape": True,
        },
    )


def mark_unseen(session: Session, *, source_urls: Iterable[str], seen_before: datetime) -> None:
    """Channels of these sources that this scrape did not find are no longer current."""
    session.execute(
        update(Channel)
        .where(Channel.source_url.in_(list(source_urls)), Channel.last_seen < seen_before)
        .values(seen_in_latest_scrape=False)
    )


def current_channels(session: Session) -> list[Channel]:
    """Channels seen in the latest scrape, by name then id, for the playlist."""
    statement = (
        select(Channel)
        .where(Channel.seen_in_latest_scrape.is_(True))
        .order_by(Channel.group_title, Channel.name, Channel.content_id, Channel.id_kind)
    )
    return list(session.scalars(statement))


def replace_epg_channels(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert EPG channels by id."""
    upsert(
        session,
        EpgChannel,
        rows,
        keys=[EpgChannel.id],
        on_conflict=lambda excluded: {
            "display_name": excluded.display_name,
            "programme_count": excluded.programme_count,
            "source_url": excluded.source_url,
            "updated_at": excluded.updated_at,
        },
    )


def set_epg_matches(session: Session, matches: Mapping[str, str]) -> None:
    """Link channels (by the keys `all_channel_keys` gave) to EPG channel ids."""
    for key, epg_id in matches.items():
        session.execute(update(Channel).where(Channel.id == int(key)).values(epg_channel_id=epg_id))


def all_channel_keys(session: Session) -> list[tuple[str, str | None, str | None]]:
    """(key, tvg-id, name) of every channel, for EPG matching.

    The key is the row id as text: a content id alone would not tell a channel from the
    infohash channel with the same hex.
    """
    rows = session.execute(select(Channel.id, Channel.tvg_id, Channel.name))
    return [(str(row.id), row.tvg_id, row.name) for row in rows]


def channels_by_key(session: Session, keys: Sequence[ChannelKey]) -> dict[ChannelKey, Channel]:
    """Those of `keys` stored as channels (current or not), by key."""
    found: dict[ChannelKey, Channel] = {}
    wanted = set(keys)
    for start in range(0, len(keys), CHUNK_ROWS):
        chunk = keys[start : start + CHUNK_ROWS]
        rows = session.scalars(
            select(Channel).where(Channel.content_id.in_([content_id for content_id, _ in chunk]))
        )
        found.update({key: row for row in rows if (key := (row.content_id, row.id_kind)) in wanted})
    return found


def names_by_id(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """The channel name of each of `ids` (a content id or an infohash) that is one of our
    channels and has a name."""
    keys: list[ChannelKey] = [(i, kind) for i in ids for kind in ("content_id", "infohash")]
    found = channels_by_key(session, keys) if keys else {}
    return {key[0]: channel.name for key, channel in found.items() if channel.name}
