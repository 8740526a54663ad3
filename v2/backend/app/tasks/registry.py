"""The task list and the APScheduler jobs that fire them.

Each job only calls `TaskService.run_scheduled(name)`; leases, timing, activity and stored
status are the service's business, so the scheduler can be off (SCHEDULER_ENABLED=false)
without changing what a run does.
"""

import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.services.container import Services
from app.services.tasks import TaskService
from app.tasks import activity_cleanup, epg_refresh, playlist_generation, scrape, status_check
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType

logger = logging.getLogger(__name__)

TASK_MODULES = (scrape, epg_refresh, playlist_generation, status_check, activity_cleanup)


def build_task_service(
    settings: Settings, services: Services, session_factory: sessionmaker[Session]
) -> TaskService:
    """The task service with every task, its interval from the settings.

    A change of the retention setting starts `activity_cleanup` right away.
    """
    tasks = TaskService(
        session_factory,
        services.recorder,
        [module.definition(settings, services) for module in TASK_MODULES],
        replica=replica_id(),
        grace=timedelta(seconds=settings.task_grace_seconds),
        history_limit=settings.task_history_limit,
    )
    services.config.on_retention_change(
        lambda _days: tasks.run_now_if_idle(activity_cleanup.NAME, trigger="retention_change")
    )
    return tasks


def replica_id() -> str:
    """Names this process in leases and run history: host, pid and a random suffix."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def _first_fire(last_started: datetime | None, interval: timedelta, now: datetime) -> datetime:
    """Continue the rhythm across restarts: due now if the last run is an interval old."""
    if last_started is None:
        return now
    return max(now, last_started + interval)


def build_scheduler(service: TaskService, recorder: ActivityRecorder) -> AsyncIOScheduler:
    """A scheduler with one interval job per task; paused tasks start paused.

    Jobs run on a thread pool of their own, one thread per task: the asyncio default would
    wrap each run in a future that stopping the scheduler cancels, logging an error for a run
    that in fact goes on (TaskService.shutdown interrupts it and stores its outcome).
    """
    snapshots = service.snapshots()
    scheduler = AsyncIOScheduler(
        timezone=UTC, executors={"default": ThreadPoolExecutor(max_workers=len(snapshots))}
    )
    now = datetime.now(UTC)
    for snapshot in snapshots:
        definition = snapshot.definition
        interval = definition.interval
        scheduler.add_job(
            service.run_scheduled,
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

    def follow_pause(name: str, paused: bool) -> None:
        if paused:
            scheduler.pause_job(name)
        else:
            scheduler.resume_job(name)

    def record_skip(event: JobExecutionEvent) -> None:
        missed = event.code == EVENT_JOB_MISSED
        reason = (
            "was missed (the service was busy or asleep)"
            if missed
            else ("was skipped: the previous run is still going")
        )
        recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"A scheduled run of {event.job_id} {reason}",
            details={"task": event.job_id, "scheduled_for": event.scheduled_run_time.isoformat()},
            level=ActivityLevel.WARNING,
        )

    def next_run(name: str) -> datetime | None:
        job = scheduler.get_job(name)
        return None if job is None else job.next_run_time

    service.on_pause_change(follow_pause)
    service.attach_schedule(next_run)
    scheduler.add_listener(record_skip, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    return scheduler
