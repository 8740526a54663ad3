/**
 * State behind the fake backend. Tests set what the server holds (`db.tasks = [...]`) and read
 * what it received (`db.requests`). Reset before every test by setup.ts.
 */
import type { Activity, ActivityHistogram } from "../../api/activity";
import type { DashboardConfig } from "../../api/dashboardConfig";
import type { ActiveStreams, StreamHistory, StreamSamples } from "../../api/streams";
import type { NotificationsOverview, NotificationTestResults } from "../../api/notifications";
import type { Task, TaskRun } from "../../api/tasks";
import type { Uptime } from "../../api/uptime";
import type { WarpStatus } from "../../api/warp";
import {
  createActiveStreams,
  createActivities,
  createDashboardConfig,
  createErrorActivity,
  createHistogram,
  createStreamHistory,
  createStreamSamples,
  createNotifications,
  createTaskRuns,
  createTasks,
  createUptime,
  createWarpStatus,
} from "../data-generators";
import type { StreamConnection } from "./liveStream";

export interface RecordedRequest {
  method: string;
  /** Path without the origin, e.g. /api/v1/warp/status. */
  path: string;
  params: URLSearchParams;
  authorization: string | null;
  body: unknown;
}

export interface MockDb {
  config: DashboardConfig;
  tasks: Task[];
  /** `/background-tasks/{name}/runs` by task, newest first; a task missing here has none. */
  taskRuns: Record<string, TaskRun[]>;
  /** Newest first. */
  activity: Activity[];
  histogram: ActivityHistogram;
  streams: ActiveStreams;
  /** `/streams/history`, whatever `days` asks. */
  streamHistory: StreamHistory;
  /** `/streams/{id}/samples` by id; an id missing here answers 404. */
  streamSamples: Record<string, StreamSamples>;
  warp: WarpStatus;
  uptime: Uptime;
  notifications: NotificationsOverview;
  /** What `POST /notifications/test` answers. */
  notificationTest: NotificationTestResults;
  /** Whether `/activity/stream` is answered; refused (503) unless a test opens it. */
  streamAccepting: boolean;
  /** Every stream answered, oldest first. */
  streamConnections: StreamConnection[];
  /** The server's API_TOKEN; null = no token needed. */
  apiToken: string | null;
  requests: RecordedRequest[];
}

function initial(): MockDb {
  const streams = createActiveStreams();
  return {
    config: createDashboardConfig(),
    tasks: createTasks(),
    taskRuns: createTaskRuns(),
    activity: [createErrorActivity({ timestamp: new Date(Date.now() - 30_000).toISOString() }), ...createActivities(4)],
    histogram: createHistogram(),
    streams,
    streamHistory: createStreamHistory(),
    streamSamples: Object.fromEntries(streams.streams.map(({ id }) => [id ?? "", createStreamSamples(id ?? "", [700, 820, 760])] as const)),
    warp: createWarpStatus(),
    uptime: createUptime(),
    notifications: createNotifications(),
    notificationTest: { results: [] },
    streamAccepting: false,
    streamConnections: [],
    apiToken: null,
    requests: [],
  };
}

export const db: MockDb = initial();

export function resetDb(): void {
  Object.assign(db, initial());
}

/** Requests received for `path` (exact path match), optionally of one method. */
export function requestsTo(path: string, method = "GET"): RecordedRequest[] {
  return db.requests.filter((r) => r.path === `/api/v1${path}` && r.method === method);
}

/** The stream the page has open now. */
export function openStreamConnection(): StreamConnection | undefined {
  return db.streamConnections.filter((c) => c.open).at(-1);
}
