/**
 * Builders for the backend's JSON shapes (see the OpenAPI schema), with sensible defaults and
 * overrides: `createTask({ status: "error" })`. Times are relative to the real clock.
 */
import type { Activity, ActivityHistogram, HistogramBucket } from "../api/activity";
import type { components } from "../api/api-types";
import type { DashboardConfig } from "../api/dashboardConfig";
import type { NotificationMessage, NotificationsOverview } from "../api/notifications";
import type { ActiveStreams, Stream, StreamHistory, StreamSample, StreamSamples, StreamSession } from "../api/streams";
import type { Task, TaskRun } from "../api/tasks";
import type { EntityUptime, Uptime } from "../api/uptime";
import type { WarpStatus } from "../api/warp";

export const TASK_NAMES = ["scrape", "epg_refresh", "playlist_generation", "status_check", "activity_cleanup"] as const;

/** ISO 8601 UTC with Z, `offsetSeconds` from now (negative = past). */
export function isoFromNow(offsetSeconds: number): string {
  return new Date(Date.now() + offsetSeconds * 1000).toISOString();
}

export function createTask(overrides: Partial<Task> = {}): Task {
  return {
    task_name: "scrape",
    status: "idle",
    overdue: false,
    degraded: false,
    warnings: [],
    paused: false,
    interval_seconds: 3600,
    last_run: isoFromNow(-600),
    last_finished: isoFromNow(-596),
    last_success: isoFromNow(-596),
    next_run: isoFromNow(3000),
    last_duration_seconds: 4.2,
    last_error: null,
    last_error_trace: null,
    last_result: { channels_found: 120, new: 4, urls: 3, failed_urls: [] },
    run_count: 12,
    failure_count: 1,
    ...overrides,
  };
}

export function createTasks(): Task[] {
  return TASK_NAMES.map((task_name) => createTask({ task_name }));
}

let nextRunId = 500;

/** A finished run; `degraded` and `warnings` follow from `outcome` and `result` as the service derives them. */
export function createTaskRun(overrides: Partial<Omit<TaskRun, "degraded" | "warnings">> = {}): TaskRun {
  nextRunId += 1;
  const run = {
    id: nextRunId,
    task_name: "scrape",
    trigger: "scheduled",
    replica: "replica-1",
    started_at: isoFromNow(-600),
    finished_at: isoFromNow(-596),
    duration_seconds: 4.2,
    outcome: "success",
    error: null,
    result: { channels_found: 120, new: 4, urls: 3, failed_urls: [] },
    ...overrides,
  };
  const warnings = run.outcome === "success" && Array.isArray(run.result?.warnings) ? run.result.warnings.map(String) : [];
  return { ...run, warnings, degraded: warnings.length > 0 };
}

/** Each task's last three runs, newest first (highest id): all successes, an hour apart, the newest matching createTask's last run. */
export function createTaskRuns(): Record<string, TaskRun[]> {
  return Object.fromEntries(
    TASK_NAMES.map((task_name) => [
      task_name,
      [2, 1, 0].map((hours) => createTaskRun({ task_name, started_at: isoFromNow(-600 - hours * 3600), finished_at: isoFromNow(-596 - hours * 3600) })).reverse(),
    ]),
  );
}

let nextActivityId = 1000;

export function createActivity(overrides: Partial<Activity> = {}): Activity {
  nextActivityId += 1;
  return {
    id: nextActivityId,
    timestamp: isoFromNow(-60),
    type: "scrape",
    level: "info",
    message: `Scraped 3 sources (#${nextActivityId})`,
    details: { channels_found: 120, new: 4 },
    user: null,
    trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
    span_id: "00f067aa0ba902b7",
    ...overrides,
  };
}

export function createErrorActivity(overrides: Partial<Activity> = {}): Activity {
  return createActivity({
    type: "error",
    level: "error",
    message: "Scrape of https://example.invalid failed",
    details: {
      url: "https://example.invalid",
      exception: {
        type: "ConnectTimeout",
        message: "timed out after 10 s",
        stacktrace: 'Traceback (most recent call last):\n  File "scraper.py", line 42, in fetch\nhttpx.ConnectTimeout: timed out',
      },
    },
    ...overrides,
  });
}

/** `count` activities, newest first, one minute apart. */
export function createActivities(count: number, overrides: Partial<Activity> = {}): Activity[] {
  return Array.from({ length: count }, (_, i) => createActivity({ timestamp: isoFromNow(-60 * (i + 1)), ...overrides }));
}

/** Hourly buckets for the last `hours` hours, oldest first, with a scrape each hour. */
export function createHistogram(hours = 3, overrides: Partial<ActivityHistogram> = {}): ActivityHistogram {
  const hour = 3_600_000;
  const current = Math.floor(Date.now() / hour) * hour;
  return {
    bucket_seconds: 3600,
    buckets: Array.from({ length: hours }, (_, i): HistogramBucket => ({
      start: new Date(current - (hours - 1 - i) * hour).toISOString().replace(".000Z", "Z"),
      counts: i === hours - 1 ? { scrape: 2, error: 1 } : { scrape: 1 },
      levels: i === hours - 1 ? { error: 1 } : {},
    })),
    ...overrides,
  };
}

/** A playing stream that is not one of our channels, before the engine's stat was read. */
export function createStream(overrides: Partial<Stream> = {}): Stream {
  return {
    id: "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f",
    infohash: null,
    clients: 1,
    started_at: isoFromNow(-600),
    engine_status: null,
    peers: null,
    speed_down_kbps: null,
    speed_up_kbps: null,
    downloaded_bytes: null,
    uploaded_bytes: null,
    stalled: false,
    channel: null,
    viewers: [],
    ...overrides,
  };
}

export function createActiveStreams(overrides: Partial<ActiveStreams> = {}): ActiveStreams {
  return {
    count: 2,
    source: "acexy",
    available: true,
    checked_at: isoFromNow(-30),
    error: null,
    streams: [
      createStream({ id: "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f", infohash: "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f", clients: 2 }),
      createStream({ id: "aa0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f", infohash: "aa0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f", clients: 1 }),
    ],
    total_clients: 3,
    ...overrides,
  };
}

export function createStreamSession(overrides: Partial<StreamSession> = {}): StreamSession {
  return {
    id: "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f",
    infohash: null,
    channel: { name: "La 1 HD", group: "Generalistas", logo: null, tvg_id: "La1.es" },
    started_at: isoFromNow(-7200),
    ended_at: isoFromNow(-3600),
    duration_seconds: 3600,
    peak_clients: 1,
    avg_speed_down_kbps: 800,
    ...overrides,
  };
}

/** Nothing played: no sessions, hourly buckets. */
export function createStreamHistory(overrides: Partial<StreamHistory> = {}): StreamHistory {
  return { sessions: [], bucket_seconds: 3600, concurrent: [], ...overrides };
}

export function createStreamSample(overrides: Partial<StreamSample> = {}): StreamSample {
  return {
    at: isoFromNow(-15),
    resolution_seconds: 15,
    clients: 1,
    peers: 12,
    speed_down_kbps: 800,
    speed_up_kbps: 90,
    downloaded_bytes: 104_857_600,
    uploaded_bytes: 12_582_912,
    stalled: false,
    ...overrides,
  };
}

/** One sample per minute with these download speeds, oldest first, the last one a minute ago. */
export function createStreamSamples(id: string, speeds: (number | null)[] = []): StreamSamples {
  return {
    id,
    channel: null,
    samples: speeds.map((speed, i) => createStreamSample({ at: isoFromNow(-60 * (speeds.length - i)), resolution_seconds: 60, speed_down_kbps: speed })),
  };
}

export function createWarpStatus(overrides: Partial<WarpStatus> = {}): WarpStatus {
  return {
    status: "connected",
    last_connected: isoFromNow(-30),
    error: null,
    details: { network: "healthy" },
    checked_at: isoFromNow(-30),
    ...overrides,
  };
}

export function createNotifications(overrides: Partial<NotificationsOverview> = {}): NotificationsOverview {
  return {
    targets: ["tgram://[REDACTED]", "json://hooks.example.org/notify"],
    muted_until: null,
    messages: [],
    ...overrides,
  };
}

export function createNotificationMessage(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    event: "peer_down",
    title: "acexy is down",
    body: "acexy is down since 2026-12-02 08:48 UTC (12 min ago).\nDashboard: http://dashboard.lan:8000/",
    decided_at: isoFromNow(-5 * 60),
    status: "sent",
    attempts: 1,
    last_error: null,
    finished_at: isoFromNow(-5 * 60 + 2),
    ...overrides,
  };
}

export function createDashboardConfig(overrides: Partial<DashboardConfig> = {}): DashboardConfig {
  return { retention_days: 7, refresh_interval_seconds: 30, auto_refresh_enabled: true, ...overrides };
}

/** FastAPI's 422 body for one field of the request body. */
export function createValidationError(field: string, msg: string, type = "value_error"): components["schemas"]["HTTPValidationError"] {
  return { detail: [{ loc: ["body", field], msg, type, input: null }] };
}

/** `days` daily buckets ending today, all up except `down` (indexes from the oldest). */
export function createEntityUptime(overrides: Partial<EntityUptime> = {}, days = 30, down: number[] = []): EntityUptime {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return {
    id: overrides.name ?? "acexy",
    name: "acexy",
    kind: "peer",
    state: "up",
    since: isoFromNow(-3 * 86_400),
    uptime_ratio: 1,
    windows: { "1d": 1, "7d": 1, "30d": 1, "90d": 1 },
    days: Array.from({ length: days }, (_, i) => ({
      date: new Date(today - (days - 1 - i) * 86_400_000).toISOString().replace(".000Z", "Z"),
      uptime_ratio: down.includes(i) ? 0.9 : 1,
      incidents: down.includes(i) ? 1 : 0,
      worst: down.includes(i) ? "down" : "up",
    })),
    incidents: [],
    ...overrides,
  };
}

export function createUptime(overrides: Partial<Uptime> = {}): Uptime {
  return {
    bucket_seconds: 86_400,
    entities: [
      createEntityUptime(),
      createEntityUptime({ name: "scrape", kind: "task", state: "ok", windows: { "1d": 1, "7d": 1, "30d": 1, "90d": null } }),
    ],
    ...overrides,
  };
}
