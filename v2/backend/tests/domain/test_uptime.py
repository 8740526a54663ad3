"""Uptime figures from scripted histories with a fixed `now`: no database, no clock."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.uptime import (
    DAY,
    HOUR,
    Change,
    Period,
    Timeline,
    bucket_starts,
    buckets,
    incidents,
    periods,
    uptime_ratio,
)

NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=10)  # 2026-11-30 12:00


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_an_entity_up_all_along_is_up_all_the_window() -> None:
    spans = periods([Change("up", START - DAY)], start=START, end=NOW, known_until=NOW)

    assert spans == [Period("up", START - DAY, NOW)]
    assert uptime_ratio(spans, START, NOW) == 1.0
    assert incidents(spans) == []


def test_a_service_outage_counts_as_unknown_not_as_up_or_down() -> None:
    # Up, then the service stopped at 4 Dec 00:00 (the restart wrote `unknown` there) and came
    # back at 6 Dec 00:00 to find acexy down for a day, then up.
    history = [
        Change("up", START - DAY),
        Change("unknown", at(4), "The service was not running"),
        Change("down", at(6), "Connection refused"),
        Change("up", at(7)),
    ]
    spans = periods(history, start=START, end=NOW, known_until=NOW)

    # Known: 30 Nov 12:00 -> 4 Dec (3.5 days up), 6 -> 7 Dec down, 7 Dec -> now 3.5 days up.
    assert uptime_ratio(spans, START, NOW) == pytest.approx(7 / 8)
    assert [(p.state, p.start, p.end, p.reason) for p in incidents(spans)] == [
        ("down", at(6), at(7), "Connection refused")
    ]
    size, starts = bucket_starts(NOW, days=10)
    days = buckets(spans, starts, size, NOW)
    by_date = {b.start.day: b for b in days}
    assert (by_date[4].worst, by_date[4].uptime_ratio) == ("unknown", None)
    assert (by_date[5].worst, by_date[5].uptime_ratio, by_date[5].incidents) == ("unknown", None, 0)
    assert (by_date[6].worst, by_date[6].uptime_ratio, by_date[6].incidents) == ("down", 0.0, 1)
    assert (by_date[3].worst, by_date[3].uptime_ratio) == ("up", 1.0)


def test_nobody_watching_since_known_until_makes_the_rest_unknown() -> None:
    spans = periods(
        [Change("down", at(10, 6), "timeout")], start=START, end=NOW, known_until=at(10, 9)
    )

    assert spans == [
        Period("unknown", START, at(10, 6)),
        Period("down", at(10, 6), at(10, 9), "timeout"),
        Period("unknown", at(10, 9), NOW),
    ]
    assert uptime_ratio(spans, START, NOW) == 0.0


def test_an_incident_spanning_midnight_counts_in_both_days() -> None:
    history = [
        Change("ok", START - DAY),
        Change("failing", at(8, 23), "HTTP 500"),
        Change("ok", at(9, 1)),
    ]
    spans = periods(history, start=START, end=NOW, known_until=NOW)
    size, starts = bucket_starts(NOW, days=3)

    days = buckets(spans, starts, size, NOW)

    assert [(b.start, b.incidents, b.worst) for b in days] == [
        (at(8), 1, "failing"),
        (at(9), 1, "failing"),
        (at(10), 0, "ok"),
    ]
    assert days[0].uptime_ratio == pytest.approx(23 / 24)
    assert days[1].uptime_ratio == pytest.approx(23 / 24)
    # Today runs from midnight to now only.
    assert days[2].uptime_ratio == 1.0


def test_first_sight_mid_window_leaves_the_time_before_unknown() -> None:
    history = [Change("up", at(9, 12)), Change("down", at(10, 6), "refused")]
    spans = periods(history, start=START, end=NOW, known_until=NOW)

    assert spans[0] == Period("unknown", START, at(9, 12))
    # Known: 18 h up, 6 h down.
    assert uptime_ratio(spans, START, NOW) == pytest.approx(0.75)
    assert uptime_ratio(spans, START, at(9)) is None


def test_warp_not_in_use_is_unknown_not_an_incident() -> None:
    spans = periods([Change("unavailable", START - DAY)], start=START, end=NOW, known_until=NOW)

    assert uptime_ratio(spans, START, NOW) is None
    assert incidents(spans) == []


def test_paused_time_counts_in_neither_side_of_the_ratio() -> None:
    history = [Change("ok", START), Change("paused", at(10)), Change("failing", at(10, 6))]
    spans = periods(history, start=START, end=NOW, known_until=NOW)

    # Known: 9.5 days ok, 6 h failing; the 6 h paused count in neither.
    assert uptime_ratio(spans, START, NOW) == pytest.approx(9.5 * 24 / (9.5 * 24 + 6))
    size, starts = bucket_starts(NOW, days=3)
    assert buckets(spans, starts, size, NOW)[-1].worst == "failing"


def test_an_ended_stream_is_neither_up_nor_down() -> None:
    history = [Change("playing", at(9)), Change("stalled", at(9, 6)), Change("ended", at(9, 12))]
    spans = periods(history, start=START, end=NOW, known_until=NOW)

    # Known: 6 h playing, 6 h stalled; the day since it ended counts in neither side.
    assert uptime_ratio(spans, START, NOW) == pytest.approx(0.5)
    assert [p.state for p in incidents(spans)] == ["stalled"]
    size, starts = bucket_starts(NOW, days=3)
    assert [(b.worst, b.uptime_ratio) for b in buckets(spans, starts, size, NOW)] == [
        ("unknown", None),
        ("stalled", pytest.approx(0.5)),
        ("ended", None),
    ]


def test_a_day_of_pause_and_unknown_is_worst_unknown() -> None:
    history = [Change("paused", at(9, 6)), Change("unknown", at(9, 12))]
    spans = periods(history, start=START, end=at(10), known_until=at(10))
    days = buckets(spans, [at(9)], DAY, at(10))

    assert [(b.worst, b.uptime_ratio, b.incidents) for b in days] == [("unknown", None, 0)]


def test_two_days_or_fewer_give_hourly_buckets_ending_with_this_hour() -> None:
    size, starts = bucket_starts(at(10, 12, 30), days=2)

    assert size == HOUR
    assert len(starts) == 48
    assert starts[-1] == at(10, 12)
    assert starts[0] == at(8, 13)


def test_more_than_two_days_give_one_bucket_per_utc_date_ending_today() -> None:
    size, starts = bucket_starts(at(10, 12, 30), days=30)

    assert size == DAY
    assert len(starts) == 30
    assert (starts[0], starts[-1]) == (at(10) - 29 * DAY, at(10))


def test_a_change_at_the_window_start_begins_the_window() -> None:
    spans = periods(
        [Change("up", START - DAY), Change("down", START)], start=START, end=NOW, known_until=NOW
    )

    assert spans == [Period("down", START, NOW)]
    assert uptime_ratio(spans, START, NOW) == 0.0


def test_a_timeline_answers_each_window_as_one_ratio_over_its_periods() -> None:
    history = [
        Change("up", START - DAY),
        Change("unknown", at(4)),
        Change("down", at(6)),
        Change("paused", at(7)),
        Change("up", at(8, 5)),
        Change("down", at(10, 11)),
    ]
    known_until = at(10, 11, 30)
    spans = periods(history, start=START - DAY, end=NOW, known_until=known_until)
    starts = [NOW - DAY * n for n in (1, 3, 7, 10)] + [at(6, 12), at(10, 11, 45)]

    assert Timeline(history).ratios(starts, NOW, known_until) == [
        uptime_ratio(spans, start, NOW) for start in starts
    ]
    assert Timeline(history).ratios([at(10, 11, 45)], NOW, known_until) == [None]
