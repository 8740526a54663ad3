"""SQL for task state, leases and run history."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.orm import Session

from app.models import TaskRun, TaskState


def ensure_states(session: Session, task_names: Iterable[str]) -> None:
    """Create the state row of every task that has none yet (idempotent across replicas)."""
    existing = set(session.scalars(select(TaskState.task_name)))
    for name in task_names:
        if name not in existing:
            session.merge(TaskState(task_name=name, paused=False, running=False))


def all_states(session: Session) -> dict[str, TaskState]:
    return {state.task_name: state for state in session.scalars(select(TaskState))}


def get_state(session: Session, task_name: str) -> TaskState | None:
    return session.get(TaskState, task_name)


def claim(
    session: Session,
    task_name: str,
    *,
    owner: str,
    now: datetime,
    lease_until: datetime,
    started_before: datetime | None,
    skip_paused: bool,
) -> bool:
    """Take the task's lease in one atomic UPDATE; True if this caller may run it now.

    Fails while another run holds an unexpired lease, when `started_before` is given and a
    run started after it (another replica already ran this slot), or, with `skip_paused`,
    while the task is paused. Two replicas racing for the same row serialise on its lock,
    and the loser's WHERE no longer matches.
    """
    statement = (
        update(TaskState)
        .where(TaskState.task_name == task_name)
        .where(or_(TaskState.running.is_(False), TaskState.lease_expires_at < now))
        .values(running=True, lease_owner=owner, lease_expires_at=lease_until, last_run_started=now)
    )
    if started_before is not None:
        statement = statement.where(
            or_(TaskState.last_run_started.is_(None), TaskState.last_run_started <= started_before)
        )
    if skip_paused:
        statement = statement.where(TaskState.paused.is_(False))
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount == 1


def last_outcome(session: Session, task_name: str) -> str | None:
    """The stored outcome of the task's latest run; None before its first."""
    return session.scalar(select(TaskState.last_outcome).where(TaskState.task_name == task_name))


def success_durations(session: Session, task_name: str, *, limit: int) -> list[float]:
    """The durations of the task's latest `limit` successful runs still in the history,
    newest first."""
    statement = (
        select(TaskRun.duration_seconds)
        .where(TaskRun.task_name == task_name, TaskRun.outcome == "success")
        .order_by(TaskRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def finish(
    session: Session,
    run: TaskRun,
    *,
    owner: str,
    error_trace: str | None,
    history_limit: int,
) -> None:
    """Store a finished run, update the task's state, release the lease, trim the history.

    The state changes only while `owner` still holds the lease this run took (the claim set
    `last_run_started` to the run's start): an outcome stored late, after the lease expired
    and another run claimed the task, joins the history without touching that run's lease.
    An interrupted run counts as a run, not as a failure.
    """
    values: dict[str, Any] = {
        "running": False,
        "lease_owner": None,
        "lease_expires_at": None,
        "last_run_finished": run.finished_at,
        "last_duration_seconds": run.duration_seconds,
        "last_outcome": run.outcome,
        "run_count": TaskState.run_count + 1,
    }
    if run.outcome == "success":
        values |= {"last_success": run.finished_at, "last_result": run.result}
    elif run.outcome == "error":
        values |= {
            "last_error": run.error,
            "last_error_trace": error_trace,
            "failure_count": TaskState.failure_count + 1,
        }
    session.execute(
        update(TaskState)
        .where(
            TaskState.task_name == run.task_name,
            TaskState.lease_owner == owner,
            TaskState.last_run_started == run.started_at,
        )
        .values(**values)
    )
    session.add(run)
    session.flush()
    keep = (
        select(TaskRun.id)
        .where(TaskRun.task_name == run.task_name)
        .order_by(TaskRun.id.desc())
        .limit(history_limit)
    )
    session.execute(
        delete(TaskRun).where(TaskRun.task_name == run.task_name, TaskRun.id.not_in(keep))
    )


def renew_leases(
    session: Session, runs: Mapping[str, datetime], *, owner: str, lease_until: datetime
) -> set[str]:
    """Extend to `lease_until` the leases `owner` holds for the runs started at `runs[task]`;
    return the tasks whose lease it still held (expired or not, as long as nobody took it)."""
    held: set[str] = set()
    for task_name, started in runs.items():
        result = cast(
            CursorResult[Any],
            session.execute(
                update(TaskState)
                .where(
                    TaskState.task_name == task_name,
                    TaskState.running.is_(True),
                    TaskState.lease_owner == owner,
                    TaskState.last_run_started == started,
                )
                .values(lease_expires_at=lease_until)
            ),
        )
        if result.rowcount == 1:
            held.add(task_name)
    return held


def set_paused(session: Session, task_name: str, *, paused: bool) -> None:
    session.execute(update(TaskState).where(TaskState.task_name == task_name).values(paused=paused))


def recent_runs(session: Session, task_name: str, *, limit: int) -> list[TaskRun]:
    statement = (
        select(TaskRun)
        .where(TaskRun.task_name == task_name)
        .order_by(TaskRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))
