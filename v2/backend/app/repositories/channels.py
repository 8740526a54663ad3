"""SQL for scraped channels and EPG channels."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Channel, EpgChannel
from app.repositories.upsert import CHUNK_ROWS, upsert


def existing_content_ids(session: Session, content_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(content_ids), CHUNK_ROWS):
        chunk = content_ids[start : start + CHUNK_ROWS]
        found.update(
            session.scalars(select(Channel.content_id).where(Channel.content_id.in_(chunk)))
        )
    return found


def upsert_channels(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new channels, refresh known ones (keeping `first_seen` and any name we had)."""
    upsert(
        session,
        Channel,
        rows,
        keys=[Channel.content_id],
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
        .order_by(Channel.group_title, Channel.name, Channel.content_id)
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
    """Link channels (by content id) to EPG channel ids."""
    for content_id, epg_id in matches.items():
        session.execute(
            update(Channel).where(Channel.content_id == content_id).values(epg_channel_id=epg_id)
        )


def all_channel_keys(session: Session) -> list[tuple[str, str | None, str | None]]:
    """(content id, tvg-id, name) of every channel, for EPG matching."""
    rows = session.execute(select(Channel.content_id, Channel.tvg_id, Channel.name))
    return [(row.content_id, row.tvg_id, row.name) for row in rows]
