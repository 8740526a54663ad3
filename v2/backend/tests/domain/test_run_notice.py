"""Which runs earn an activity row: each rule, and the slow rule at its boundaries."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain.run_notice import Notice, PriorRuns, is_slow, run_notices, usual_duration
from app.models import TaskRun

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CLEAN = PriorRuns(outcome="success", durations=(1.0, 1.0, 1.0))


def _run(
    outcome: str = "success",
    *,
    trigger: str = "scheduled",
    seconds: float = 1.0,
    result: dict[str, Any] | None = None,
) -> TaskRun:
    return TaskRun(
        task_name="scrape",
        trigger=trigger,
        replica="r",
        started_at=NOW,
        finished_at=NOW + timedelta(seconds=seconds),
        duration_seconds=seconds,
        outcome=outcome,
        error=None if outcome == "success" else "boom",
        result={} if result is None and outcome == "success" else result,
    )


@pytest.mark.parametrize("trigger", ["scheduled", "after_scrape", "retention_change"])
def test_an_ordinary_success_is_quiet_whoever_started_it_but_a_person(trigger: str) -> None:
    assert run_notices(_run(trigger=trigger), CLEAN) == ()


def test_a_failure_and_an_interruption_are_recorded_whatever_else_holds() -> None:
    assert run_notices(_run("error", trigger="manual"), CLEAN) == (Notice.FAILED,)
    assert run_notices(_run("interrupted"), None) == (Notice.INTERRUPTED,)


@pytest.mark.parametrize("previous", ["error", "interrupted"])
def test_the_first_success_after_a_failed_or_interrupted_run_recovered(previous: str) -> None:
    prior = PriorRuns(outcome=previous, durations=())

    assert run_notices(_run(), prior) == (Notice.RECOVERED,)


def test_the_first_run_ever_is_no_recovery() -> None:
    assert run_notices(_run(), PriorRuns(outcome=None, durations=())) == ()


def test_a_success_with_warnings_is_recorded() -> None:
    partial = _run(result={"warnings": ["http://a/ (HTTP 404 Not Found)"]})

    assert run_notices(partial, CLEAN) == (Notice.WARNINGS,)


def test_a_manual_run_is_recorded_whatever_its_outcome() -> None:
    assert run_notices(_run(trigger="manual"), CLEAN) == (Notice.MANUAL,)
    assert run_notices(_run(trigger="manual"), None) == (Notice.MANUAL,)


def test_every_reason_is_given_in_a_fixed_order() -> None:
    run = _run(trigger="manual", seconds=10.0, result={"warnings": ["w"]})
    prior = PriorRuns(outcome="error", durations=(1.0, 1.0, 1.0))

    assert run_notices(run, prior) == (
        Notice.WARNINGS,
        Notice.RECOVERED,
        Notice.SLOW,
        Notice.MANUAL,
    )


def test_without_the_history_only_warnings_and_the_trigger_count() -> None:
    """The database refused the outcome (and that refusal has its own row)."""
    assert run_notices(_run(seconds=100.0), None) == ()


@pytest.mark.parametrize(
    ("seconds", "slow"),
    [
        (3.0, False),  # exactly three times the usual 1 s: not over it
        (3.000001, True),  # just over three times, and over the 2 s floor
    ],
)
def test_slow_starts_just_over_three_times_the_median(seconds: float, slow: bool) -> None:
    assert is_slow(seconds, (1.0, 0.5, 1.0, 9.0, 1.0)) is slow  # median 1.0


@pytest.mark.parametrize(
    ("seconds", "slow"),
    [
        (2.0, False),  # 20 times the usual 0.1 s, but not over the floor
        (2.000001, True),
    ],
)
def test_slow_needs_more_than_the_two_second_floor(seconds: float, slow: bool) -> None:
    """A status check going from 10 ms to 40 ms is four times slower and still nothing."""
    assert is_slow(seconds, (0.1, 0.1, 0.1)) is slow
    assert is_slow(0.04, (0.01, 0.01, 0.01)) is False


def test_no_run_is_slow_before_three_successes_set_the_usual_duration() -> None:
    assert usual_duration((1.0, 1.0)) is None
    assert is_slow(100.0, (1.0, 1.0)) is False
    assert usual_duration((1.0, 2.0, 30.0)) == 2.0
