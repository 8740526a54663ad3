"""The APScheduler jobs that fire the tasks: one interval job per task.

Each job only calls `TaskEngine.run_scheduled(name)`; leases, timing, activity and stored
status are the engine's business, so the scheduler can be off (SCHEDULER_ENABLED=false)
without changing what a run does.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from app.services.tasks.reads import TaskSnapshot
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType


def _first_fire(last_started: datetime | None, interval: timedelta, now: datetime) -> datetime:
    """Continue the rhythm across restarts: due now if the last run is an interval old."""
    if last_started is None:
        return now
    return max(now, last_started + interval)


class TaskScheduler:
    """Fires `run(name)` for each task at its interval; paused tasks start paused.

    Jobs run on a thread pool of their own, one thread per task: the asyncio default would
    wrap each run in a future that stopping the scheduler cancels, logging an error for a run
    that in fact goes on (TaskEngine.shutdown interrupts it and stores its outcome).
    """

    def __init__(
        self, run: Callable[[str], None], recorder: ActivityRecorder, *, task_count: int
    ) -> None:
        self._run = run
        self._recorder = recorder
        self._scheduler = AsyncIOScheduler(
            timezone=UTC, executors={"default": ThreadPoolExecutor(max_workers=task_count)}
        )
        self._scheduler.add_listener(self._record_skip, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)

    def start(self, snapshots: Sequence[TaskSnapshot]) -> None:
        """Add a job per task, continuing each one's rhythm from its stored state, and start
        firing them (on the running event loop)."""
        now = datetime.now(UTC)
        for snapshot in snapshots:
            definition = snapshot.definition
            interval = definition.interval
            self._scheduler.add_job(
                self._run,
                "interval",
                args=[definition.name],
                id=definition.name,
                name=definition.name,
                seconds=interval.total_seconds(),
                next_run_time=None
                if snapshot.state.paused
                else _first_fire(snapshot.state.last_run_started, interval, now),
                max_instances=1,
                coalesce=True,
                # A run up to half an interval late is still worth doing; later ones are missed.
                misfire_grace_time=max(30, int(interval.total_seconds() // 2)),
            )
        self._scheduler.start()

    def shutdown(self) -> None:
        """Stop firing; runs under way go on (TaskEngine.shutdown ends them)."""
        self._scheduler.shutdown(wait=False)

    def follow_pause(self, name: str, paused: bool) -> None:
        """Pause or resume `name`'s job, after the task was paused or resumed."""
        if paused:
            self._scheduler.pause_job(name)
        else:
            self._scheduler.resume_job(name)

    def next_run(self, name: str) -> datetime | None:
        """When `name` fires next; None while it is paused."""
        job = self._scheduler.get_job(name)
        return None if job is None else job.next_run_time

    def _record_skip(self, event: JobExecutionEvent) -> None:
        missed = event.code == EVENT_JOB_MISSED
        reason = (
            "was missed (the service was busy or asleep)"
            if missed
            else ("was skipped: the previous run is still going")
        )
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"A scheduled run of {event.job_id} {reason}",
            details={"task": event.job_id, "scheduled_for": event.scheduled_run_time.isoformat()},
            level=ActivityLevel.WARNING,
        )
