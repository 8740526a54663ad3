"""One place that builds the service and connects its parts.

`run_service` builds, in order: the database (migrated to head), the activity recorder and
exporter, the services, the tasks (engine, reads, control), the scheduler, the live activity
feed and the metrics collector. Then it connects them, every subscription between parts in
one block, starts them, and at the end stops them in reverse. `main.py`'s lifespan runs it for
as long as the app serves; nothing else builds a service or subscribes one part to another.
"""

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.core.changes import DatabaseChanges, watch_changes
from app.core.config import Settings
from app.core.db import create_db_engine, create_session_factory
from app.core.migrations import upgrade_to_head
from app.observability.activity_exporter import ActivitySpanExporter
from app.observability.metrics import EventMetrics, StatusCollector
from app.observability.telemetry import TRACER_NAME, attach_exporters
from app.peers.fetch import Fetcher
from app.services.active_streams import ActiveStreamsView
from app.services.activity import ActivityService
from app.services.activity_feed import ActivityFeed
from app.services.config import ConfigService
from app.services.epg import EpgService
from app.services.notification_sender import AppriseSender
from app.services.notifications import NotificationService, NotifySettings
from app.services.peer_status import PeerStatusService
from app.services.playlist import PlaylistService
from app.services.retention import RetentionService
from app.services.scraper import ScraperService
from app.services.state_changes import StateChangeRecorder, TaskStateChanges, unknown_after
from app.services.status_sections import StatusSections
from app.services.stream_plays import StreamPlayService
from app.services.stream_sessions import StreamSessionService
from app.services.tasks.control import TaskControl
from app.services.tasks.definition import TaskCatalog
from app.services.tasks.engine import TaskEngine
from app.services.tasks.events import TaskEvents
from app.services.tasks.reads import TaskReads
from app.services.uptime import UptimeService
from app.tasks import (
    activity_cleanup,
    epg_refresh,
    notifications,
    playlist_generation,
    scrape,
    status_check,
    stream_sweep,
)
from app.tasks.scheduler import TaskScheduler
from app.utils.activity import ActivityRecorder, ActivityType


@dataclass(frozen=True)
class Services:
    """The services one app instance shares between its requests and its jobs."""

    recorder: ActivityRecorder
    activity_exporter: ActivitySpanExporter
    config: ConfigService
    activity: ActivityService
    scraper: ScraperService
    epg: EpgService
    playlist: PlaylistService
    stream_plays: StreamPlayService
    stream_sessions: StreamSessionService
    active_streams: ActiveStreamsView
    retention: RetentionService
    state_changes: StateChangeRecorder
    peer_status: PeerStatusService
    notifications: NotificationService
    uptime: UptimeService


@dataclass(frozen=True)
class Tasks:
    """The background tasks, as the API and the metrics use them."""

    engine: TaskEngine
    reads: TaskReads
    control: TaskControl
    # Writes the tasks' state changes (ok, failing, overdue, paused).
    changes: TaskStateChanges


@dataclass(frozen=True)
class Running:
    """What the app serves from while `run_service` runs."""

    db: Engine
    services: Services
    tasks: Tasks
    activity_feed: ActivityFeed


@asynccontextmanager
async def run_service(
    settings: Settings,
    *,
    version: str,
    provider: TracerProvider,
    registry: CollectorRegistry,
    metrics: EventMetrics,
    task_events: TaskEvents,
) -> AsyncIterator[Running]:
    """Build, connect and start the service; stop it when the block ends.

    `provider`, `registry`, `metrics` and `task_events` belong to the app, which needs them
    before it starts (middleware, instrumentation, subscribers). Stop order: open activity
    streams, scheduler, runs under way, "stopping" recorded, every queued activity row
    flushed, database closed.
    """
    # Build, in order. Nothing below runs a task or records anything yet.
    db = create_db_engine(settings.sqlalchemy_url)
    await run_in_threadpool(upgrade_to_head, db)
    sessions = create_session_factory(db)
    # When what the caches of this replica keep may have changed (task states, streams).
    changes = watch_changes(db)
    recorder = ActivityRecorder(provider.get_tracer(TRACER_NAME))
    services = build_services(settings, sessions, recorder, changes=changes)
    activity_queue = attach_exporters(provider, settings, services.activity_exporter)
    catalog = task_catalog(settings, services)
    task_reads = TaskReads(
        sessions,
        catalog,
        grace=timedelta(seconds=settings.task_grace_seconds),
        changes=changes,
    )
    tasks = Tasks(
        engine=TaskEngine(
            sessions,
            recorder,
            catalog,
            task_events,
            replica=_replica_id(),
            history_limit=settings.task_history_limit,
        ),
        reads=task_reads,
        control=TaskControl(sessions, recorder, catalog),
        changes=TaskStateChanges(sessions, services.state_changes, task_reads),
    )
    scheduler = (
        TaskScheduler(tasks.engine.run_scheduled, recorder, task_count=len(catalog))
        if settings.scheduler_enabled
        else None
    )
    # The live activity stream: tails the log by id, reads the page's sections for changes.
    activity_feed = ActivityFeed(
        sessions,
        StatusSections(services.peer_status, tasks.reads).read,
        max_clients=settings.activity_stream_max_clients,
    )
    collector = StatusCollector(
        services.peer_status,
        tasks.reads,
        tasks.engine.outcomes,
        services.activity_exporter,
        activity_queue,
        lambda: (
            services.active_streams.read(datetime.now(UTC)),
            services.active_streams.sessions_started(),
        ),
        lambda: activity_feed.clients,
        lambda: services.uptime.ratios(datetime.now(UTC)),
    )

    # Connect: every subscription of one part to another, and only here.
    services.config.on_retention_change(
        lambda _days: tasks.engine.run_now_if_idle(
            activity_cleanup.NAME, trigger="retention_change"
        )
    )
    task_events.on_run_finished(metrics.observe_run)
    # Failing and recovered show when a run ends; overdue when the status check's run does.
    task_events.on_run_finished(lambda run: tasks.changes.record_quietly(run.finished_at))
    tasks.control.on_pause_change(
        lambda _name, _paused: tasks.changes.record_quietly(datetime.now(UTC))
    )
    services.activity_exporter.on_rows_written(metrics.count_activity)
    services.notifications.watch_dropped_rows(
        lambda: (
            services.activity_exporter.rows_dropped
            + (0 if activity_queue is None else activity_queue.spans_refused)
        )
    )
    if scheduler is not None:
        tasks.control.on_pause_change(scheduler.follow_pause)
        tasks.reads.follow_schedule(scheduler.next_run)

    # Start.
    await run_in_threadpool(tasks.engine.start)
    metrics.declare_tasks(catalog.names)
    registry.register(collector)
    recorder.record(
        ActivityType.SYSTEM_EVENT,
        "Service started",
        details={"version": version, "database": db.dialect.name},
    )
    # The first peer check fills the status store before the app reports ready.
    await run_in_threadpool(services.peer_status.refresh, datetime.now(UTC))
    if scheduler is not None:
        scheduler.start(await run_in_threadpool(tasks.reads.snapshots))
    try:
        yield Running(db, services, tasks, activity_feed)
    finally:
        await activity_feed.close()  # before anything its streams read goes away
        if scheduler is not None:
            scheduler.shutdown()
        await run_in_threadpool(tasks.engine.shutdown)
        recorder.record(ActivityType.SYSTEM_EVENT, "Service stopping")
        await run_in_threadpool(provider.shutdown)
        registry.unregister(collector)
        changes.close()
        db.dispose()


def build_services(
    settings: Settings,
    session_factory: sessionmaker[Session],
    recorder: ActivityRecorder,
    *,
    changes: DatabaseChanges | None = None,
) -> Services:
    """The services; `changes` (none: no caching) lets the cached reads know when to read
    again."""
    config = ConfigService(session_factory, recorder)
    stream_plays = StreamPlayService(
        session_factory,
        acexy_url=settings.player_acexy_url,
        client_details=settings.stream_client_details,
    )
    gap = unknown_after(settings.status_check_interval_seconds)
    state_changes = StateChangeRecorder(unknown_after=gap)
    stream_sessions = StreamSessionService(
        session_factory,
        recorder,
        state_changes,
        acexy_url=str(settings.acexy_url),
        sample_seconds=settings.status_check_interval_seconds,
        sweep_rate=settings.stream_sweep_rate,
    )
    peer_status = PeerStatusService(
        session_factory,
        recorder,
        state_changes,
        acexy_url=str(settings.acexy_url),
        engine_url=str(settings.acestream_engine_url),
        warp_cli=settings.warp_cli,
    )
    fetcher = Fetcher(deadline_seconds=settings.fetch_deadline_seconds)
    return Services(
        recorder=recorder,
        activity_exporter=ActivitySpanExporter(session_factory),
        config=config,
        activity=ActivityService(session_factory, config),
        scraper=ScraperService(
            session_factory,
            recorder,
            [str(u) for u in settings.scrape_urls],
            fetcher,
            bare_ids=settings.scrape_bare_ids,
        ),
        epg=EpgService(session_factory, recorder, [str(u) for u in settings.epg_urls], fetcher),
        playlist=PlaylistService(
            session_factory, data_dir=settings.data_dir, stream_base_url=settings.stream_base_url
        ),
        stream_plays=stream_plays,
        stream_sessions=stream_sessions,
        active_streams=ActiveStreamsView(peer_status, stream_sessions, stream_plays, changes),
        retention=RetentionService(
            session_factory,
            config,
            recorder,
            stream_sessions,
            uptime_retention_days=settings.uptime_retention_days,
        ),
        state_changes=state_changes,
        peer_status=peer_status,
        notifications=NotificationService(
            session_factory, recorder, notify_settings(settings), AppriseSender()
        ),
        uptime=UptimeService(session_factory, unknown_after=gap),
    )


def notify_settings(settings: Settings) -> NotifySettings:
    reminder = settings.notify_reminder_hours
    return NotifySettings(
        default_targets=settings.notify_urls,
        grace=timedelta(seconds=settings.notify_grace_seconds),
        reminder=timedelta(hours=reminder) if reminder > 0 else None,
        events=frozenset(settings.notify_events),
        dashboard_url=settings.service_url,
    )


def task_catalog(settings: Settings, services: Services) -> TaskCatalog:
    """Every background task, with the service call it makes; listed in this order."""
    sweep = stream_sweep.definition(settings, services.stream_sessions)
    return TaskCatalog(
        [
            scrape.definition(settings, services.scraper),
            epg_refresh.definition(settings, services.epg),
            playlist_generation.definition(settings, services.playlist),
            status_check.definition(settings, services.peer_status, services.stream_sessions),
            *([sweep] if sweep is not None else []),
            activity_cleanup.definition(settings, services.retention),
            notifications.definition(services.notifications),
        ]
    )


def _replica_id() -> str:
    """Names this process in leases and run history: host, pid and a random suffix."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
