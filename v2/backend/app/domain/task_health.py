"""A task's status, overdue and degraded flags: one pure function of (state row, interval, now).

Every view (API, metrics, alerts, page) reads these values from here; nobody re-derives
them. The overdue rule is Healthchecks.io's: a task is overdue once it has not finished a
run within its interval plus a grace period. A run that succeeded with warnings (some of
its sources failed, the others were read) leaves the task `idle` but degraded: the status
keeps its five values, so rules and boards that read `acestream_task_status` stay valid,
and the flag says the success was partial.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from app.models import TaskState


class TaskStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    IDLE = "idle"
    ERROR = "error"
    PAUSED = "paused"


@dataclass(frozen=True)
class TaskHealth:
    status: TaskStatus
    overdue: bool
    overdue_since: datetime | None
    # The last finished run's warnings, if it succeeded with some.
    warnings: tuple[str, ...] = ()

    @property
    def degraded(self) -> bool:
        """The last finished run succeeded with warnings."""
        return bool(self.warnings)


def run_warnings(outcome: str | None, result: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The warnings of a run that ended with `outcome` and `result`: the strings of the
    result's `warnings` list when it succeeded; () otherwise (a failed or interrupted run
    has its error instead, and a task with nothing to warn about leaves the key out)."""
    if outcome != "success" or result is None:
        return ()
    warnings = result.get("warnings")
    if not isinstance(warnings, list):
        return ()
    return tuple(str(warning) for warning in warnings)


def is_running(state: TaskState, now: datetime) -> bool:
    """A run is in progress; a run whose lease expired belonged to a replica that died."""
    return state.running and state.lease_expires_at is not None and state.lease_expires_at > now


def task_health(
    state: TaskState, *, interval: timedelta, grace: timedelta, baseline: datetime, now: datetime
) -> TaskHealth:
    """Status and overdue for `state` at `now`.

    `baseline` stands in for the last finish of a task that never finished (when the service
    started watching it). A paused task is never overdue; a running one is overdue when the
    run has gone on past the deadline of the previous one. The warnings (and so `degraded`)
    are the last finished run's whatever the status: a task running again, or paused, after
    a partial success still reports it until a run ends otherwise.
    """
    warnings = run_warnings(state.last_outcome, state.last_result)
    if state.paused:
        return TaskHealth(TaskStatus.PAUSED, overdue=False, overdue_since=None, warnings=warnings)
    deadline = (state.last_run_finished or baseline) + interval + grace
    overdue = now > deadline
    if is_running(state, now):
        status = TaskStatus.RUNNING
    elif state.last_outcome is None:
        status = TaskStatus.PENDING
    elif state.last_outcome == "error":
        status = TaskStatus.ERROR
    else:
        status = TaskStatus.IDLE
    return TaskHealth(
        status, overdue=overdue, overdue_since=deadline if overdue else None, warnings=warnings
    )
