"""Which task runs earn a row in the activity log, and why: a pure function of the run and
what the stored history said before it.

A run's outcome already lives in `task_state` and `task_runs` (the status, the history, the
metrics). An ordinary success (scheduled or a follow-up, without warnings, about as fast as
usual, after a run that also succeeded) tells a person nothing the status does not: it is
quiet. Everything else is signal and gets one row: a failure, an interruption, a success with
warnings, the first success after a failed or interrupted run ("recovered"), a run much slower
than usual, and any run a person asked for (trigger "manual"), whatever its outcome.

Before this rule every run wrote a "started" and a "finished" row: a default install with its
peers unreachable wrote about 11 500 rows a day, nearly all of them status checks saying
nothing (docs/performance.md, section 9).
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.task_health import run_warnings
from app.models import TaskRun

# A run is slow when it took more than SLOW_FACTOR times the median of the last USUAL_RUNS
# successful runs of its task, and more than SLOW_FLOOR_SECONDS: a status check going from
# 10 ms to 40 ms is four times slower and still nothing anyone should read about.
SLOW_FACTOR = 3.0
SLOW_FLOOR_SECONDS = 2.0
USUAL_RUNS = 10
# Fewer successful runs than this are no "usual" yet: one odd first run would set the bar.
MIN_USUAL_RUNS = 3


@dataclass(frozen=True)
class PriorRuns:
    """What the stored history said just before a run's outcome was stored: read from the
    database, not from memory, so it holds whichever replica ran the previous runs."""

    # The previous run's outcome; None before the task's first run.
    outcome: str | None
    # The durations of the task's latest successful runs, newest first, at most USUAL_RUNS.
    durations: Sequence[float]


class Notice(StrEnum):
    """Why a run is recorded; a quiet run has none."""

    FAILED = "failed"
    INTERRUPTED = "interrupted"
    WARNINGS = "warnings"
    RECOVERED = "recovered"
    SLOW = "slow"
    MANUAL = "manual"


def usual_duration(durations: Sequence[float]) -> float | None:
    """The median of `durations`; None with fewer than MIN_USUAL_RUNS of them."""
    if len(durations) < MIN_USUAL_RUNS:
        return None
    return statistics.median(durations)


def is_slow(duration: float, durations: Sequence[float]) -> bool:
    """`duration` is over SLOW_FLOOR_SECONDS and over SLOW_FACTOR times the usual one
    (never, while the task has no usual duration yet)."""
    usual = usual_duration(durations)
    return usual is not None and duration > max(SLOW_FLOOR_SECONDS, SLOW_FACTOR * usual)


def run_notices(run: TaskRun, prior: PriorRuns | None) -> tuple[Notice, ...]:
    """Why `run` gets an activity row; () when it is quiet.

    A failed or interrupted run has that one notice. A success may have several: warnings,
    recovered, slow, manual, in that order. `prior` is None when the history could not be
    read (the database refused the outcome, which is kept to store later): such a success is
    recorded only for its warnings or its trigger, since the refusal is recorded anyway.
    """
    if run.outcome == "error":
        return (Notice.FAILED,)
    if run.outcome == "interrupted":
        return (Notice.INTERRUPTED,)
    notices: list[Notice] = []
    if run_warnings(run.outcome, run.result):
        notices.append(Notice.WARNINGS)
    if prior is not None:
        if prior.outcome in ("error", "interrupted"):
            notices.append(Notice.RECOVERED)
        if is_slow(run.duration_seconds, prior.durations):
            notices.append(Notice.SLOW)
    if run.trigger == "manual":
        notices.append(Notice.MANUAL)
    return tuple(notices)
