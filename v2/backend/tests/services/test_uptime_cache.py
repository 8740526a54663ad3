"""A replica's warm `UptimeService` (timelines grown row by row, settled days and incidents
kept) answers byte for byte what a new one answers, over seeded random histories written
in steps: gaps, stale heartbeats, window edges, a late row and a retention purge."""

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.models import StateChange
from app.repositories import state_changes as state_changes_repository
from app.services.uptime import WINDOWS, UptimeService

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
GAP = timedelta(minutes=5)
STATES = {
    ("peer", "acexy"): ("up", "down", "unknown"),
    ("peer", "warp"): ("connected", "disconnected", "connecting", "unavailable", "unknown"),
    ("task", "scrape"): ("ok", "failing", "overdue", "paused", "unknown"),
    ("stream", "a" * 40): ("playing", "stalled", "ended"),
    ("stream", "b" * 40): ("playing", "ended"),
}
# Steps of the clock after NOW: across midnight, then days on (the view's days settle).
STEPS = [timedelta(hours=5), timedelta(hours=13), DAY + timedelta(minutes=1), 3 * DAY]


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine: Engine = create_db_engine(database_url)
    yield create_session_factory(engine)
    engine.dispose()


def _edges(now: datetime) -> list[datetime]:
    """Moments where a figure changes hands: the windows' starts, midnights, hours, now."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        *(now - timedelta(days=days) for days in (*WINDOWS.values(), 2, 3)),
        *(midnight - n * DAY for n in range(4)),
        now.replace(minute=0, second=0, microsecond=0),
        now,
    ]


def _write(
    sessions: sessionmaker[Session],
    rng: random.Random,
    moments: list[datetime],
    *,
    watched: datetime,
) -> None:
    """A change at each of `moments` (in the order given) for a random entity, then the
    heartbeat at `watched`."""
    with sessions.begin() as session:
        for at in moments:
            kind, name = rng.choice(list(STATES))
            session.add(
                StateChange(
                    kind=kind,
                    name=name,
                    from_state=None,
                    to_state=rng.choice(STATES[(kind, name)]),
                    changed_at=at,
                    reason=rng.choice((None, "Connection refused", "HTTP 500")),
                )
            )
        state_changes_repository.lock_heartbeat(session, now=watched)
        state_changes_repository.beat(session, now=watched)


def _random_moments(
    rng: random.Random, start: datetime, end: datetime, count: int
) -> list[datetime]:
    span = (end - start).total_seconds()
    moments = [start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)]
    moments += [at for at in _edges(end) if start <= at <= end]
    return sorted(moments)


def _assert_warm_answers_as_cold(
    warm: UptimeService, sessions: sessionmaker[Session], now: datetime
) -> None:
    for days in (1, 2, 3, 7, 30, 90):
        cold = UptimeService(sessions, unknown_after=GAP).view(days=days, now=now)
        # Twice: once growing the timelines, once from what that call settled.
        assert warm.view(days=days, now=now).model_dump_json() == cold.model_dump_json()
        assert warm.view(days=days, now=now).model_dump_json() == cold.model_dump_json()
    assert warm.ratios(now) == UptimeService(sessions, unknown_after=GAP).ratios(now)


@pytest.mark.parametrize("seed", range(3))
def test_a_warm_service_answers_what_a_new_one_answers(
    sessions: sessionmaker[Session], seed: int
) -> None:
    rng = random.Random(seed)
    warm = UptimeService(sessions, unknown_after=GAP)
    _write(sessions, rng, _random_moments(rng, NOW - 100 * DAY, NOW, 150), watched=NOW)
    _assert_warm_answers_as_cold(warm, sessions, NOW)

    previous = NOW
    for step in STEPS:
        now = NOW + step
        # Watched until now, a minute ago, or not for two hours: the rest is unknown, even
        # the changes after it, until a later heartbeat.
        watched = now - rng.choice((timedelta(0), timedelta(minutes=1), timedelta(hours=2)))
        _write(sessions, rng, _random_moments(rng, previous, now, 12), watched=watched)
        _assert_warm_answers_as_cold(warm, sessions, now)
        previous = now

    # A row older than its entity's latest (written late): the days after it change.
    _write(sessions, rng, [NOW - 2 * DAY - timedelta(hours=3)], watched=now)
    _assert_warm_answers_as_cold(warm, sessions, now)

    # Retention: the oldest rows go, and the next read starts again from nothing.
    with sessions.begin() as session:
        assert state_changes_repository.delete_before(session, now - 60 * DAY) > 0
    _assert_warm_answers_as_cold(warm, sessions, now)
