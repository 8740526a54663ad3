"""Prometheus metrics: gauges read from the same sources as the API, and event counters.

The gauges come from a custom collector that reads the peer status store and the task
snapshots at scrape time, so `/metrics` and `/api/v1` can never disagree. Names are a
public contract (Grafana boards and alert rules use them): `acestream_<noun>_<unit>`.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.domain.task_health import TaskStatus
from app.models import TaskRun
from app.observability.activity_exporter import ActivitySpanExporter
from app.observability.stream_metrics import stream_metrics
from app.observability.telemetry import ActivityQueue
from app.schemas.peers import ActiveStreams
from app.services.peer_status import PeerStatusService
from app.services.tasks.outcomes import OutcomeStore
from app.services.tasks.reads import TaskReads
from app.services.uptime import UptimeRatio
from app.utils.activity import ActivityType

WARP_STATES = ("connected", "connecting", "disconnected", "error", "unavailable")
# What plays, as `GET /api/v1/streams/active` answers, and the stream sessions ever started.
StreamsSource = Callable[[], tuple[ActiveStreams, int]]
# Task runs last from milliseconds (status_check) to minutes (a large scrape).
TASK_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)


class StatusCollector(Collector):
    """Current state, derived at scrape time from the status store, the task reads and what
    plays (`streams`, the source the API's active streams come from)."""

    def __init__(
        self,
        peers: PeerStatusService,
        tasks: TaskReads,
        outcomes: OutcomeStore,
        exporter: ActivitySpanExporter,
        activity_queue: ActivityQueue | None,
        streams: StreamsSource,
        live_clients: Callable[[], int],
        uptime_ratios: Callable[[], Sequence[UptimeRatio]],
    ) -> None:
        """`uptime_ratios` answers each entity's uptime over 1d, 7d and 30d now, from the
        service behind `GET /api/v1/uptime`."""
        self._peers = peers
        self._streams = streams
        self._live_clients = live_clients
        self._tasks = tasks
        self._outcomes = outcomes
        self._exporter = exporter
        self._activity_queue = activity_queue
        self._uptime_ratios = uptime_ratios

    def collect(self) -> Iterator[Metric]:
        yield from self._peer_metrics()
        yield from stream_metrics(*self._streams())
        yield from self._task_metrics()
        yield from self._outcome_metrics()
        yield self._uptime_metric()
        dropped = CounterMetricFamily(
            "acestream_activity_rows_dropped",
            "Activity rows lost: refused by a full activity queue (queue_full), or given up"
            " after the database refused them for too long (database).",
            labels=["reason"],
        )
        queue = self._activity_queue
        dropped.add_metric(["queue_full"], 0 if queue is None else queue.spans_refused)
        dropped.add_metric(["database"], self._exporter.rows_dropped)
        yield dropped
        yield GaugeMetricFamily(
            "acestream_activity_stream_clients",
            "Clients of this replica's live activity stream (/api/v1/activity/stream), against"
            " ACTIVITY_STREAM_MAX_CLIENTS.",
            value=self._live_clients(),
        )
        yield CounterMetricFamily(
            "acestream_activity_errors_folded",
            "Repeats of an error counted on the row of its first occurrence (details.repeated)"
            " instead of stored as rows of their own; acestream_activity_events_total counts"
            " rows.",
            value=self._exporter.occurrences_folded,
        )

    def _uptime_metric(self) -> Metric:
        ratios = GaugeMetricFamily(
            "acestream_uptime_ratio",
            "Share of the known time (up or down; unknown and paused time left out) each peer"
            " and task was up over the window; absent while none of it is known.",
            labels=["entity", "kind", "window"],
        )
        for row in self._uptime_ratios():
            if row.ratio is not None:
                ratios.add_metric([row.name, row.kind, row.window], row.ratio)
        return ratios

    def _peer_metrics(self) -> Iterator[Metric]:
        snapshot = self._peers.current()
        acexy, engine, warp = snapshot.acexy, snapshot.engine, snapshot.warp
        streams = GaugeMetricFamily(
            "acestream_active_streams",
            "Streams playing now, as counted by acexy; absent while no peer can count them.",
        )
        if acexy is not None and acexy.count is not None:
            streams.add_metric([], acexy.count)
        yield streams
        yield _gauge(
            "acestream_acexy_up",
            "Whether acexy answered its last status check (1) or not (0).",
            None if acexy is None else acexy.reachable,
        )
        yield _gauge(
            "acestream_engine_up",
            "Whether the AceStream engine answered its version check (1) or not (0).",
            None if engine is None else engine.healthy,
        )
        yield _gauge(
            "acestream_warp_connected",
            "Whether the Cloudflare WARP tunnel is connected (1) or not (0).",
            None if warp is None else warp.status == "connected",
        )
        states = GaugeMetricFamily(
            "acestream_warp_status",
            "WARP's state: 1 for the current state, 0 for the others.",
            labels=["state"],
        )
        current = "unavailable" if warp is None else warp.status
        for state in WARP_STATES:
            states.add_metric([state], 1 if state == current else 0)
        yield states
        checked = GaugeMetricFamily(
            "acestream_peer_check_timestamp_seconds",
            "When each peer was last checked, as a Unix timestamp.",
            labels=["peer"],
        )
        for peer, when in sorted(snapshot.peer_checked_at.items()):
            checked.add_metric([peer], when.timestamp())
        yield checked

    def _task_metrics(self) -> Iterator[Metric]:
        families = {
            "last_run": GaugeMetricFamily(
                "acestream_task_last_run_timestamp_seconds",
                "When the task's latest run started, as a Unix timestamp.",
                labels=["task"],
            ),
            "last_success": GaugeMetricFamily(
                "acestream_task_last_success_timestamp_seconds",
                "When the task last finished successfully, as a Unix timestamp.",
                labels=["task"],
            ),
            "next_run": GaugeMetricFamily(
                "acestream_task_next_run_timestamp_seconds",
                "When this replica's scheduler fires the task next, as a Unix timestamp.",
                labels=["task"],
            ),
        }
        overdue = GaugeMetricFamily(
            "acestream_task_overdue",
            "Whether the task has gone its interval plus grace without finishing a run (1 or 0).",
            labels=["task"],
        )
        status = GaugeMetricFamily(
            "acestream_task_status",
            "The task's status: 1 for the current status, 0 for the others.",
            labels=["task", "status"],
        )
        degraded = GaugeMetricFamily(
            "acestream_task_degraded",
            "Whether the task's last finished run succeeded with warnings, some of its sources"
            " having failed (1 or 0).",
            labels=["task"],
        )
        interval = GaugeMetricFamily(
            "acestream_task_interval_seconds",
            "How often the task is scheduled, in seconds.",
            labels=["task"],
        )
        for snapshot in self._tasks.snapshots():
            name = snapshot.definition.name
            times = {
                "last_run": snapshot.state.last_run_started,
                "last_success": snapshot.state.last_success,
                "next_run": snapshot.next_run,
            }
            for key, when in times.items():
                if when is not None:
                    families[key].add_metric([name], when.timestamp())
            overdue.add_metric([name], 1 if snapshot.health.overdue else 0)
            degraded.add_metric([name], 1 if snapshot.health.degraded else 0)
            for value in TaskStatus:
                status.add_metric([name, value.value], 1 if snapshot.health.status is value else 0)
            interval.add_metric([name], snapshot.definition.interval.total_seconds())
        yield from families.values()
        yield overdue
        yield degraded
        yield status
        yield interval

    def _outcome_metrics(self) -> Iterator[Metric]:
        backlog = self._outcomes.backlog()
        yield GaugeMetricFamily(
            "acestream_task_outcomes_pending",
            "Task outcomes the database refused, kept in memory to be stored again.",
            value=backlog.pending,
        )
        yield CounterMetricFamily(
            "acestream_task_outcomes_unsaved",
            "Task outcomes the database refused when the run ended (kept and stored again).",
            value=backlog.unsaved_total,
        )
        yield CounterMetricFamily(
            "acestream_task_outcomes_lost",
            "Task outcomes never stored: more were waiting than kept, or the service stopped"
            " while the database still refused them.",
            value=backlog.lost_total,
        )


def _gauge(name: str, documentation: str, value: bool | None) -> GaugeMetricFamily:
    """A 0/1 gauge; no sample before the first check, rather than a made-up 0."""
    family = GaugeMetricFamily(name, documentation)
    if value is not None:
        family.add_metric([], 1 if value else 0)
    return family


class EventMetrics:
    """Counters and histograms of things that happen, on the app's own registry.

    Every series a board or alert uses exists from the start, at 0, so that rate() and
    absent() behave: the activity types' here, the tasks' once `declare_tasks` names them.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        # Without this every counter and histogram also exports a `*_created` series (its
        # creation time) that no board or rule reads. The switch is process-wide, which suits
        # a process that serves this app.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.task_runs = Counter(
            "acestream_task_runs",
            "Finished task runs, by task and outcome (success, error or interrupted).",
            ["task", "outcome"],
            registry=registry,
        )
        self.task_duration = Histogram(
            "acestream_task_duration_seconds",
            "How long task runs took, in seconds.",
            ["task"],
            buckets=TASK_DURATION_BUCKETS,
            registry=registry,
        )
        self.activity_events = Counter(
            "acestream_activity_events",
            "Activity rows stored, by type (an error's folded repeats add no row).",
            ["type"],
            registry=registry,
        )
        self.http_requests = Counter(
            "acestream_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.http_duration = Histogram(
            "acestream_http_request_duration_seconds",
            "How long HTTP requests took to answer, by method and route template, in seconds.",
            ["method", "route"],
            registry=registry,
        )
        for activity_type in ActivityType:
            self.activity_events.labels(activity_type.value)

    def declare_tasks(self, names: Iterable[str]) -> None:
        for name in names:
            for outcome in ("success", "error", "interrupted"):
                self.task_runs.labels(name, outcome)
            self.task_duration.labels(name)

    def observe_run(self, run: TaskRun) -> None:
        self.task_runs.labels(run.task_name, run.outcome).inc()
        self.task_duration.labels(run.task_name).observe(run.duration_seconds)

    def count_activity(self, types: list[str]) -> None:
        for activity_type in types:
            self.activity_events.labels(activity_type).inc()
