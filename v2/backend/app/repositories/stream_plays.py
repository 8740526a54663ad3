"""SQL for the plays: each redirect of a player to acexy, kept per channel up to a cap."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import StreamPlay
from app.repositories.channels import ChannelKey

PLAYS_KEPT_PER_CHANNEL = 50


def record(session: Session, play: StreamPlay, *, keep: int = PLAYS_KEPT_PER_CHANNEL) -> None:
    """Store `play` and drop its channel's plays beyond the newest `keep` (by id)."""
    session.add(play)
    session.flush()
    same_channel = (StreamPlay.content_id == play.content_id, StreamPlay.id_kind == play.id_kind)
    oldest_kept = (
        select(StreamPlay.id)
        .where(*same_channel)
        .order_by(StreamPlay.id.desc())
        .offset(keep - 1)
        .limit(1)
        .scalar_subquery()
    )
    session.execute(delete(StreamPlay).where(*same_channel, StreamPlay.id < oldest_kept))


def plays_since(session: Session, keys: Sequence[ChannelKey], since: datetime) -> list[StreamPlay]:
    """The plays of these channels from `since` on, newest first."""
    if not keys:
        return []
    wanted = set(keys)
    rows = session.scalars(
        select(StreamPlay)
        .where(
            StreamPlay.content_id.in_(sorted({content_id for content_id, _ in keys})),
            StreamPlay.played_at >= since,
        )
        .order_by(StreamPlay.id.desc())
    )
    return [row for row in rows if (row.content_id, row.id_kind) in wanted]


def keys_played_since(session: Session, since: datetime) -> list[ChannelKey]:
    """The channels redirected to from `since` on, each once."""
    rows = session.execute(
        select(StreamPlay.content_id, StreamPlay.id_kind)
        .where(StreamPlay.played_at >= since)
        .distinct()
        .order_by(StreamPlay.content_id, StreamPlay.id_kind)
    )
    return [(row.content_id, row.id_kind) for row in rows]
