"""Status and overdue at each boundary, with the clock passed in (Healthchecks' model)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.task_health import TaskHealth, TaskStatus, task_health
from app.models import TaskState

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(hours=1)
GRACE = timedelta(minutes=5)
FINISHED = NOW - INTERVAL - GRACE  # a run that finished exactly one deadline ago


def _state(**values: object) -> TaskState:
    defaults: dict[str, object] = {"task_name": "scrape", "paused": False, "running": False}
    return TaskState(**(defaults | values))


def _health(state: TaskState, *, now: datetime = NOW, baseline: datetime = NOW) -> TaskHealth:
    return task_health(state, interval=INTERVAL, grace=GRACE, baseline=baseline, now=now)


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (NOW - timedelta(microseconds=1), False),  # just before the deadline
        (NOW, False),  # at the deadline
        (NOW + timedelta(microseconds=1), True),  # just after it
    ],
)
def test_overdue_starts_after_interval_plus_grace(now: datetime, overdue: bool) -> None:
    state = _state(last_run_finished=FINISHED, last_outcome="success")

    health = _health(state, now=now)

    assert health.status is TaskStatus.IDLE
    assert health.overdue is overdue
    assert health.overdue_since == (NOW if overdue else None)


def test_a_task_that_never_ran_is_pending_and_overdue_from_the_baseline() -> None:
    assert _health(_state(), baseline=FINISHED) == TaskHealth(TaskStatus.PENDING, False, None)
    late = _health(_state(), baseline=FINISHED - timedelta(seconds=1))
    assert (late.status, late.overdue) == (TaskStatus.PENDING, True)


def test_the_last_outcome_decides_idle_or_error() -> None:
    assert _health(_state(last_run_finished=NOW, last_outcome="error")).status is TaskStatus.ERROR
    assert _health(_state(last_run_finished=NOW, last_outcome="success")).status is TaskStatus.IDLE


def test_running_while_the_lease_holds_then_back_to_the_last_outcome() -> None:
    state = _state(
        running=True,
        last_outcome="success",
        last_run_finished=NOW - timedelta(minutes=10),
        lease_expires_at=NOW + timedelta(seconds=1),
    )

    assert _health(state).status is TaskStatus.RUNNING
    # The replica that held the lease died: its run no longer counts as running.
    assert _health(state, now=NOW + timedelta(seconds=1)).status is TaskStatus.IDLE


def test_a_run_that_hangs_past_the_deadline_is_running_and_overdue() -> None:
    state = _state(
        running=True,
        last_outcome="success",
        last_run_finished=FINISHED - timedelta(seconds=1),
        lease_expires_at=NOW + timedelta(hours=1),
    )

    health = _health(state)

    assert (health.status, health.overdue) == (TaskStatus.RUNNING, True)


def test_a_paused_task_is_never_overdue() -> None:
    state = _state(paused=True, last_run_finished=FINISHED - timedelta(days=3))

    assert _health(state) == TaskHealth(TaskStatus.PAUSED, False, None)


WARNING = "http://lists.example/b.m3u (HTTP 404 Not Found)"
PARTIAL = {"failed_urls": ["http://lists.example/b.m3u"], "warnings": [WARNING]}


def test_a_success_with_warnings_is_idle_and_degraded() -> None:
    health = _health(_state(last_run_finished=NOW, last_outcome="success", last_result=PARTIAL))

    assert health == TaskHealth(TaskStatus.IDLE, False, None, warnings=(WARNING,))
    assert health.degraded


@pytest.mark.parametrize(
    ("outcome", "result"),
    [
        ("success", {"failed_urls": []}),  # no source failed: no warnings key
        ("success", None),
        ("success", {"warnings": "not a list"}),
        ("error", PARTIAL),  # a failed run has its error, not warnings
        ("interrupted", PARTIAL),
    ],
)
def test_only_a_success_whose_result_lists_warnings_is_degraded(
    outcome: str, result: dict[str, object] | None
) -> None:
    health = _health(_state(last_run_finished=NOW, last_outcome=outcome, last_result=result))

    assert (health.warnings, health.degraded) == ((), False)


def test_degraded_describes_the_last_finished_run_while_running_or_paused() -> None:
    running = _state(
        running=True,
        last_outcome="success",
        last_result=PARTIAL,
        last_run_finished=NOW,
        lease_expires_at=NOW + timedelta(seconds=1),
    )
    paused = _state(paused=True, last_outcome="success", last_result=PARTIAL)

    assert (_health(running).status, _health(running).degraded) == (TaskStatus.RUNNING, True)
    assert (_health(paused).status, _health(paused).degraded) == (TaskStatus.PAUSED, True)
