"""A task's status and overdue flag: one pure function of (state row, interval, now).

Every view (API, metrics, alerts, page) reads these two values from here; nobody
re-derives them. The overdue rule is Healthchecks.io's: a task is overdue once it has
not finished a run within its interval plus a grace period.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

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


def is_running(state: TaskState, now: datetime) -> bool:
    """A run is in progress; a run whose lease expired belonged to a replica that died."""
    return state.running and state.lease_expires_at is not None and state.lease_expires_at > now


def task_health(
    state: TaskState, *, interval: timedelta, grace: timedelta, baseline: datetime, now: datetime
) -> TaskHealth:
    """Status and overdue for `state` at `now`.

    `baseline` stands in for the last finish of a task that never finished (when the service
    started watching it). A paused task is never overdue; a running one is overdue when the
    run has gone on past the deadline of the previous one.
    """
    if state.paused:
        return TaskHealth(TaskStatus.PAUSED, overdue=False, overdue_since=None)
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
    return TaskHealth(status, overdue=overdue, overdue_since=deadline if overdue else None)
