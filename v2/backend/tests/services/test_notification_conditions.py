"""The error spike and dropped rows as state changes, with the alerts' conditions."""

from datetime import UTC, datetime, timedelta

from app.services.notification_conditions import ServiceConditions

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def states(conditions: ServiceConditions, name: str) -> list[tuple[str, datetime]]:
    return [(c.to_state, c.changed_at) for c in conditions.changes() if c.name == name]


def test_dropped_rows_are_a_problem_for_10_minutes_after_the_last_drop() -> None:
    conditions = ServiceConditions()
    conditions.observe(T0, errors=0, dropped_total=3)  # dropped before the first look: the past
    conditions.observe(T0 + timedelta(minutes=1), errors=0, dropped_total=5)
    conditions.observe(T0 + timedelta(minutes=10), errors=0, dropped_total=5)
    conditions.observe(T0 + timedelta(minutes=11, seconds=1), errors=0, dropped_total=5)
    assert states(conditions, "activity_rows_dropped") == [
        ("dropping", T0 + timedelta(minutes=1)),
        ("normal", T0 + timedelta(minutes=11, seconds=1)),
    ]
    [dropping, _] = [c for c in conditions.changes() if c.name == "activity_rows_dropped"]
    assert dropping.reason == "2 activity rows dropped in the last 10 minutes"


def test_an_error_spike_is_more_than_25_error_rows_in_5_minutes() -> None:
    conditions = ServiceConditions()
    conditions.observe(T0, errors=25, dropped_total=0)
    conditions.observe(T0 + timedelta(seconds=10), errors=26, dropped_total=0)
    conditions.observe(T0 + timedelta(seconds=20), errors=30, dropped_total=0)
    conditions.observe(T0 + timedelta(seconds=30), errors=3, dropped_total=0)
    assert states(conditions, "error_spike") == [
        ("spiking", T0 + timedelta(seconds=10)),
        ("normal", T0 + timedelta(seconds=30)),
    ]
