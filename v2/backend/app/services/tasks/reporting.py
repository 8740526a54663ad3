"""How runs read in the activity log and in `last_error`."""

from datetime import datetime

from app.domain.task_health import is_running, run_warnings
from app.exceptions import TaskFailed
from app.models import TaskRun, TaskState
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType
from app.utils.cancel import Interrupted


def record_outcome(recorder: ActivityRecorder, run: TaskRun, error: BaseException | None) -> None:
    """One activity entry for the end of `run`: a warning if it was interrupted or succeeded
    with warnings, an error (with the exception) if it failed."""
    details = {
        "task": run.task_name,
        "trigger": run.trigger,
        "duration_seconds": round(run.duration_seconds, 3),
    }
    if isinstance(error, Interrupted):
        recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {run.task_name} interrupted after {run.duration_seconds:.2f} s: {error}",
            details=details,
            level=ActivityLevel.WARNING,
        )
    elif error is not None:
        recorder.record_exception(error, f"Task {run.task_name} failed", details=details)
    elif warnings := run_warnings(run.outcome, run.result):
        count = f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
        recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {run.task_name} finished in {run.duration_seconds:.2f} s with {count}",
            details=details | {"result": run.result},
            level=ActivityLevel.WARNING,
        )
    else:
        recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {run.task_name} finished in {run.duration_seconds:.2f} s",
            details=details | {"result": run.result},
        )


def record_overlap(
    recorder: ActivityRecorder, name: str, state: TaskState | None, now: datetime, *, replica: str
) -> None:
    """A scheduled slot of `name` found the task taken: a warning if the previous run is still
    going (here when `state` is None, else where its lease says); nothing if the task is
    paused or the slot was simply run already by another replica."""
    if state is not None and (state.paused or not is_running(state, now)):
        return
    recorder.record(
        ActivityType.BACKGROUND_TASK,
        f"Skipped a run of {name}: the previous run is still going",
        details={"task": name, "running_on": replica if state is None else state.lease_owner},
        level=ActivityLevel.WARNING,
    )


def error_text(error: BaseException | None) -> str | None:
    """What `last_error` and the run's `error` say: a TaskFailed's message as it is, any
    other exception's with its type (which tells a bug from a refused connection)."""
    if error is None:
        return None
    if isinstance(error, TaskFailed):
        return str(error)
    return f"{type(error).__name__}: {error}"
