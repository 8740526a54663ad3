"""`Timeline` against the plain walk (`periods`, `uptime_ratio`) over seeded random
histories: the same periods and the very same floats, at and around every edge."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.uptime import DAY, Change, Timeline, periods, uptime_ratio

NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
START = NOW - 10 * DAY
STATES = ("up", "down", "failing", "paused", "ended", "unknown", "unavailable", "ok")


def _history(rng: random.Random, count: int) -> list[Change]:
    """`count` changes over the 12 days before NOW and the day after it, some at the window's
    edges or at the same moment as another, with an odd microsecond here and there."""
    edges = [START, NOW, START - DAY]
    changes: list[Change] = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.1:
            at = rng.choice(edges)
        elif pick < 0.2 and changes:
            at = rng.choice(changes).at
        else:
            at = START - 2 * DAY + timedelta(seconds=rng.uniform(0, 13 * 86400))
        changes.append(Change(rng.choice(STATES), at, rng.choice((None, "why"))))
    return changes


def _known_until(rng: random.Random) -> datetime | None:
    return rng.choice(
        (
            None,
            NOW,
            NOW + DAY,
            START,
            START - DAY,
            NOW - timedelta(minutes=rng.randint(1, 14 * 24 * 60)),
        )
    )


@pytest.mark.parametrize("seed", range(300))
def test_a_timeline_answers_what_the_walk_over_its_changes_answers(seed: int) -> None:
    rng = random.Random(seed)
    changes = _history(rng, rng.randint(1, 40))
    timeline = Timeline()
    for change in changes:  # in the order written, not in time order
        timeline.add(change)
    in_order = sorted(changes, key=lambda change: change.at)  # stable: equal times as added
    known_until = _known_until(rng)
    windows = [START, NOW - DAY, NOW - 7 * DAY, NOW - timedelta(minutes=1), NOW]
    windows += [c.at for c in rng.sample(in_order, min(3, len(in_order))) if START <= c.at <= NOW]

    before = [c for c in in_order if c.at <= START]
    since = before[-1:] + [c for c in in_order if c.at > START]
    expected = periods(since, start=START, end=NOW, known_until=known_until)

    assert timeline.since(START) == since
    assert timeline.periods(start=START, end=NOW, known_until=known_until) == expected
    assert timeline.ratios(windows, NOW, known_until) == [
        uptime_ratio(expected, window, NOW) for window in windows
    ]


def test_a_change_older_than_the_latest_rebuilds_the_periods_after_it() -> None:
    timeline = Timeline([Change("up", START), Change("down", START + 4 * DAY)])

    assert timeline.add(Change("paused", START + DAY)) is False
    assert timeline.add(Change("up", START + 5 * DAY)) is True
    assert [p.state for p in timeline.periods(start=START, end=NOW, known_until=NOW)] == [
        "up",
        "paused",
        "down",
        "up",
    ]
    assert timeline.ratios([START], NOW, NOW) == [6 / 7]
