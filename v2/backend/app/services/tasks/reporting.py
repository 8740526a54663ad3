"""How runs read in the activity log and in `last_error`."""

from datetime import datetime
from typing import Any

from app.domain.run_notice import Notice, PriorRuns, run_notices, usual_duration
from app.domain.task_health import run_warnings
from app.exceptions import TaskFailed
from app.models import TaskRun
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType


def record_outcome(
    recorder: ActivityRecorder, run: TaskRun, error: BaseException | None, prior: PriorRuns | None
) -> None:
    """The activity entry for the end of `run`, if it earns one (`run_notices`): an error
    with the exception if it failed; a warning if it was interrupted, succeeded with
    warnings or was slow; else an info entry (recovered, manual). Nothing for a quiet run:
    its outcome is in the task's status and run history.

    One entry says every reason, e.g. "Task scrape finished in 1.20 s with 1 warning;
    recovered after a failed run"; `details.notices` lists them.
    """
    notices = run_notices(run, prior)
    if not notices:
        return
    details: dict[str, Any] = {
        "task": run.task_name,
        "trigger": run.trigger,
        "replica": run.replica,
        "duration_seconds": round(run.duration_seconds, 3),
        "notices": [notice.value for notice in notices],
    }
    if Notice.FAILED in notices and error is not None:
        recorder.record_exception(error, f"Task {run.task_name} failed", details=details)
        return
    if Notice.INTERRUPTED in notices:
        recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {run.task_name} interrupted after {run.duration_seconds:.2f} s: {error}",
            details=details,
            level=ActivityLevel.WARNING,
        )
        return
    message = f"Task {run.task_name} finished in {run.duration_seconds:.2f} s"
    if warnings := run_warnings(run.outcome, run.result):
        message += f" with {len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
    if prior is not None and Notice.RECOVERED in notices:
        after = "a failed" if prior.outcome == "error" else "an interrupted"
        message += f"; recovered after {after} run"
        details["previous_outcome"] = prior.outcome
    usual = None if prior is None else usual_duration(prior.durations)
    if usual is not None and Notice.SLOW in notices:
        message += f"; slower than usual ({usual:.2f} s)"
        details["usual_duration_seconds"] = round(usual, 3)
    recorder.record(
        ActivityType.BACKGROUND_TASK,
        message,
        details=details | {"result": run.result},
        level=ActivityLevel.WARNING
        if {Notice.WARNINGS, Notice.SLOW} & set(notices)
        else ActivityLevel.INFO,
    )


def record_overlap(
    recorder: ActivityRecorder,
    name: str,
    *,
    running_since: datetime,
    running_on: str | None,
    due_before: datetime,
) -> None:
    """A scheduled slot of `name` found a run of it still going, started at `running_since`
    on replica `running_on`: a warning if that run started before the slot was due (before
    `due_before`: it has overrun its interval); nothing if it started within the slot (a
    follow-up or a manual run just did the slot's work, as happens every hour when the
    scrape's follow-up playlist meets the playlist's own slot)."""
    if running_since > due_before:
        return
    recorder.record(
        ActivityType.BACKGROUND_TASK,
        f"Skipped a run of {name}: the previous run is still going",
        details={"task": name, "running_on": running_on},
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
