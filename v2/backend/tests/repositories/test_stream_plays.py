"""Plays are kept per channel up to a cap; the viewers' read takes only the recent ones."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine
from app.models import StreamPlay
from app.repositories import stream_plays as plays_repository

NOW = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
LA1 = ("a" * 40, "content_id")
TWIN = ("a" * 40, "infohash")


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def _play(key: tuple[str, str], minute: int) -> StreamPlay:
    return StreamPlay(
        content_id=key[0],
        id_kind=key[1],
        played_at=NOW + timedelta(minutes=minute),
        client_address=f"192.168.1.{minute}",
        user_agent="VLC",
    )


def test_each_channel_keeps_only_its_newest_plays(sessions: sessionmaker[Session]) -> None:
    for minute in range(5):
        with sessions.begin() as session:
            plays_repository.record(session, _play(LA1, minute), keep=3)
            plays_repository.record(session, _play(TWIN, minute), keep=4)

    with sessions() as session:
        kept = [(p.id_kind, p.client_address) for p in session.scalars(select(StreamPlay))]
    assert sorted(kept) == sorted(
        [("content_id", f"192.168.1.{m}") for m in (2, 3, 4)]
        + [("infohash", f"192.168.1.{m}") for m in (1, 2, 3, 4)]
    )


def test_plays_since_reads_the_asked_channels_newest_first(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        for minute in range(4):
            plays_repository.record(session, _play(LA1, minute))
        plays_repository.record(session, _play(TWIN, 3))

    with sessions() as session:
        recent = plays_repository.plays_since(session, [LA1], NOW + timedelta(minutes=2))
        nothing = plays_repository.plays_since(session, [], NOW)

    assert [(p.id_kind, p.played_at) for p in recent] == [
        ("content_id", NOW + timedelta(minutes=3)),
        ("content_id", NOW + timedelta(minutes=2)),
    ]
    assert nothing == []
