"""SQL for stream sessions and their samples, and the two counters kept beside them in
`app_settings`: the sessions ever started and the sweep's place among the channels."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import AppSetting, Channel, StreamSample, StreamSession
from app.repositories.channels import ChannelKey
from app.repositories.upsert import CHUNK_ROWS

SESSIONS_TOTAL_KEY = "stream_sessions_total"
SWEEP_CURSOR_KEY = "stream_sweep_cursor"
_OPEN = StreamSession.ended_at.is_(None)


@dataclass(frozen=True)
class NewSession:
    """What a session starts with: its stream, when, and the play that started it."""

    key: ChannelKey
    started_at: datetime
    client_address: str | None
    client_agent: str | None


def open_sessions(session: Session) -> list[StreamSession]:
    """Every session still playing, oldest first."""
    return list(session.scalars(select(StreamSession).where(_OPEN).order_by(StreamSession.id)))


def open_session(session: Session, new: NewSession) -> int | None:
    """Insert an open session for `new.key`; None when one is already open (this replica or
    another got there first): the insert is then a no-op, never an error."""
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(StreamSession)
        .values(
            content_id=new.key[0],
            id_kind=new.key[1],
            started_at=new.started_at,
            last_seen_at=new.started_at,
            speed_down_sum=0.0,
            speed_samples=0,
            stalled=False,
            first_client_address=new.client_address,
            first_client_agent=new.client_agent,
        )
        .on_conflict_do_nothing(index_elements=["content_id", "id_kind"], index_where=_OPEN)
        .returning(StreamSession.id)
    )
    return session.execute(statement).scalar_one_or_none()


def open_session_of(session: Session, key: ChannelKey) -> StreamSession | None:
    """The open session of this stream, if there is one."""
    return session.scalars(
        select(StreamSession).where(
            StreamSession.content_id == key[0], StreamSession.id_kind == key[1], _OPEN
        )
    ).one_or_none()


def end_session(session: Session, session_id: int) -> bool:
    """End an open session at its last sight; False when it had already ended (another
    replica ended it), so the caller records "ended" only once."""
    result = session.execute(
        update(StreamSession)
        .where(StreamSession.id == session_id, _OPEN)
        .values(ended_at=StreamSession.last_seen_at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_stalled(session: Session, session_id: int, stalled: bool) -> bool:
    """Mark an open session stalled (or recovered); False when it already was."""
    result = session.execute(
        update(StreamSession)
        .where(StreamSession.id == session_id, StreamSession.stalled.is_(not stalled), _OPEN)
        .values(stalled=stalled)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def add_samples(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Store samples (dicts of `StreamSample` columns)."""
    for start in range(0, len(rows), CHUNK_ROWS):
        session.execute(insert(StreamSample), list(rows[start : start + CHUNK_ROWS]))


def count_started(session: Session, started: int, *, now: datetime) -> None:
    """Add `started` to the count of sessions ever started. The row is created at 0 if missing,
    then locked (PostgreSQL; SQLite's writer lock already serialises) and raised, so two
    replicas starting two sessions at once count both."""
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(AppSetting)
        .values(key=SESSIONS_TOTAL_KEY, value=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalars(
        select(AppSetting).where(AppSetting.key == SESSIONS_TOTAL_KEY).with_for_update()
    ).one()
    row.value = int(row.value) + started
    row.updated_at = now
    session.flush()


def sessions_started(session: Session) -> int:
    """How many sessions were ever started (never lowered by retention)."""
    value = session.scalar(select(AppSetting.value).where(AppSetting.key == SESSIONS_TOTAL_KEY))
    return int(value or 0)


def latest_samples(session: Session, session_ids: Sequence[int]) -> dict[int, StreamSample]:
    """The newest sample of each of these sessions that has one."""
    if not session_ids:
        return {}
    newest = (
        select(StreamSample.session_id, func.max(StreamSample.at).label("at"))
        .where(StreamSample.session_id.in_(session_ids))
        .group_by(StreamSample.session_id)
        .subquery()
    )
    rows = session.scalars(
        select(StreamSample).join(
            newest,
            and_(StreamSample.session_id == newest.c.session_id, StreamSample.at == newest.c.at),
        )
    )
    return {row.session_id: row for row in rows}


def sessions_between(session: Session, since: datetime, until: datetime) -> list[StreamSession]:
    """Sessions that played at some moment of [since, until], newest first."""
    return list(
        session.scalars(
            select(StreamSession)
            .where(
                StreamSession.started_at <= until,
                or_(_OPEN, StreamSession.ended_at >= since),
            )
            .order_by(StreamSession.started_at.desc(), StreamSession.id.desc())
        )
    )


def concurrency_since(session: Session, since: datetime) -> list[tuple[datetime, int, int]]:
    """(at, streams, clients) of each sampling moment from `since` on, oldest first: a
    status check writes every playing stream's sample at the same `at`."""
    rows = session.execute(
        select(
            StreamSample.at,
            func.count(func.distinct(StreamSample.session_id)),
            func.coalesce(func.sum(StreamSample.clients), 0),
        )
        .where(StreamSample.at >= since)
        .group_by(StreamSample.at)
        .order_by(StreamSample.at)
    )
    return [(at, streams, clients or 0) for at, streams, clients in rows]


def has_session_with_id(session: Session, content_id: str) -> bool:
    """Whether any session (either kind of id) has this 40-hex id."""
    return (
        session.scalar(
            select(StreamSession.id).where(StreamSession.content_id == content_id).limit(1)
        )
        is not None
    )


def samples_of_id(session: Session, content_id: str, since: datetime) -> list[StreamSample]:
    """The samples from `since` on of every session with this 40-hex id, oldest first."""
    return list(
        session.scalars(
            select(StreamSample)
            .join(StreamSession, StreamSession.id == StreamSample.session_id)
            .where(StreamSession.content_id == content_id, StreamSample.at >= since)
            .order_by(StreamSample.at, StreamSample.id)
        )
    )


def samples_to_downsample(session: Session, *, finer_than: int, before: datetime) -> list[Any]:
    """Samples of a resolution under `finer_than` seconds taken before `before`, by session
    then time: plain rows (a day of ten streams is 57 600; ORM objects would cost seconds)."""
    table = StreamSample.__table__
    return list(
        session.execute(
            select(*table.c)
            .where(table.c.resolution_seconds < finer_than, table.c.at < before)
            .order_by(table.c.session_id, table.c.at, table.c.id)
        )
    )


def delete_samples(session: Session, sample_ids: Sequence[int]) -> None:
    for start in range(0, len(sample_ids), CHUNK_ROWS):
        chunk = list(sample_ids[start : start + CHUNK_ROWS])
        session.execute(
            delete(StreamSample)
            .where(StreamSample.id.in_(chunk))
            .execution_options(synchronize_session=False)
        )


def delete_before(session: Session, cutoff: datetime) -> tuple[int, int]:
    """Delete samples taken before `cutoff` and sessions ended before it; (sessions,
    samples) deleted."""
    samples = session.execute(
        delete(StreamSample)
        .where(StreamSample.at < cutoff)
        .execution_options(synchronize_session=False)
    )
    sessions = session.execute(
        delete(StreamSession)
        .where(StreamSession.ended_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return sessions.rowcount, samples.rowcount  # type: ignore[attr-defined]


def sweep_cursor(session: Session) -> int:
    """The id of the last channel the sweep checked (0 before the first sweep)."""
    value = session.scalar(select(AppSetting.value).where(AppSetting.key == SWEEP_CURSOR_KEY))
    return int(value or 0)


def channels_after(session: Session, after_id: int, limit: int) -> list[tuple[int, ChannelKey]]:
    """(row id, key) of up to `limit` current channels with a row id above `after_id`, in
    row id order."""
    rows = session.execute(
        select(Channel.id, Channel.content_id, Channel.id_kind)
        .where(Channel.id > after_id, Channel.seen_in_latest_scrape.is_(True))
        .order_by(Channel.id)
        .limit(limit)
    )
    return [(row.id, (row.content_id, row.id_kind)) for row in rows]
