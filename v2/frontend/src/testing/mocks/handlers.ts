/**
 * The fake backend: real paths, the JSON shapes of the generated API types and real error bodies
 * (house style rule 9). Input validation is the server's alone (tests/api): a test that needs a 422
 * installs one with `server.use`, so no range here can drift from the schema.
 */
import { http, HttpResponse, type DefaultBodyType, type StrictRequest } from "msw";
import type { Activity, ActivityLevel, ActivityPage, ActivityType } from "../../api/activity";
import type { components } from "../../api/api-types";
import type { DashboardConfigUpdate } from "../../api/dashboardConfig";
import { db } from "./db";
import { openStream } from "./liveStream";

type Schemas = components["schemas"];

function errorResponse(detail: string, status: number) {
  return HttpResponse.json<Schemas["ErrorMessage"]>({ detail }, { status });
}

const API = "*/api/v1";

async function record(request: StrictRequest<DefaultBodyType>): Promise<Response | null> {
  const url = new URL(request.url);
  const text = request.method === "GET" ? "" : await request.clone().text();
  const authorization = request.headers.get("authorization");
  db.requests.push({
    method: request.method,
    path: url.pathname,
    params: url.searchParams,
    authorization,
    body: text ? (JSON.parse(text) as unknown) : null,
  });
  if (db.apiToken !== null && authorization !== `Bearer ${db.apiToken}`) {
    return errorResponse("API token missing or wrong", 401);
  }
  return null;
}

const LEVEL_ORDER: ActivityLevel[] = ["info", "warning", "error"];

/** The rows `/recent` and `/export` would give for the request's `type` and `min_level`. */
function filtered(params: URLSearchParams): Activity[] {
  const types = params.getAll("type") as ActivityType[];
  const minLevel = LEVEL_ORDER.indexOf((params.get("min_level") ?? "info") as ActivityLevel);
  return db.activity.filter((a) => (types.length === 0 || types.includes(a.type)) && LEVEL_ORDER.indexOf(a.level) >= minLevel);
}

function cursorFor(id: number): string {
  return btoa(JSON.stringify({ before: id }));
}

function taskAction(action: "run" | "pause" | "resume") {
  return http.post(`${API}/background-tasks/:name/${action}`, async ({ request, params }) => {
    const denied = await record(request);
    if (denied) return denied;
    const task = db.tasks.find((t) => t.task_name === params.name);
    if (!task) return errorResponse(`No task named ${String(params.name)}`, 404);
    if (action === "run") {
      if (task.status === "running") {
        return errorResponse(`Task ${task.task_name} is already running; wait for it to finish`, 409);
      }
      task.run_count += 1;
      task.last_run = new Date().toISOString();
      return HttpResponse.json<Schemas["TaskAccepted"]>({ task_name: task.task_name, detail: `Task ${task.task_name} started` }, { status: 202 });
    }
    task.paused = action === "pause";
    task.status = task.paused ? "paused" : "idle";
    task.next_run = task.paused ? null : new Date(Date.now() + task.interval_seconds * 1000).toISOString();
    return HttpResponse.json<Schemas["TaskAccepted"]>({ task_name: task.task_name, detail: `Task ${task.task_name} ${action}d` });
  });
}

export const handlers = [
  http.get(`${API}/config/dashboard`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.config)),

  http.put(`${API}/config/dashboard`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    const update = (await request.json()) as DashboardConfigUpdate;
    db.config = { ...db.config, ...update };
    return HttpResponse.json(db.config);
  }),

  // The server's cleanup rule: 0 keeps today (since 00:00 UTC), else the last `days` × 24 h.
  http.get(`${API}/config/dashboard/retention-preview`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    const days = Number(new URL(request.url).searchParams.get("days"));
    const now = Date.now();
    const cutoff = days === 0 ? Math.floor(now / 86_400_000) * 86_400_000 : now - days * 86_400_000;
    const rows_to_delete = db.activity.filter((a) => Date.parse(a.timestamp) < cutoff).length;
    return HttpResponse.json<Schemas["RetentionPreview"]>({ retention_days: days, rows_to_delete, cutoff: new Date(cutoff).toISOString() });
  }),

  http.get(`${API}/activity/recent`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    const params = new URL(request.url).searchParams;
    const limit = Number(params.get("limit") ?? 50);
    const cursor = params.get("cursor");
    const before = cursor ? (JSON.parse(atob(cursor)) as { before: number }).before : null;
    let items = filtered(params);
    if (before !== null) items = items.slice(items.findIndex((a) => a.id === before) + 1);
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    const next_cursor = items.length > limit && last ? cursorFor(last.id) : null;
    return HttpResponse.json<ActivityPage>({ items: page, next_cursor });
  }),

  http.get(`${API}/activity/export`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    const params = new URL(request.url).searchParams;
    const ndjson = params.get("format") === "ndjson";
    const rows = filtered(params);
    const body = ndjson
      ? rows.map((a) => JSON.stringify(a) + "\n").join("")
      : ["id,timestamp,type,level,message", ...rows.map((a) => [a.id, a.timestamp, a.type, a.level, a.message].join(","))].join("\r\n") + "\r\n";
    return new HttpResponse(body, {
      headers: {
        "Content-Type": ndjson ? "application/x-ndjson" : "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="activity-2026-12-02T0830Z.${ndjson ? "ndjson" : "csv"}"`,
      },
    });
  }),

  http.get(`${API}/activity/stream`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    if (!db.streamAccepting) {
      return HttpResponse.json<Schemas["ErrorMessage"]>({ detail: "Too many stream clients" }, { status: 503, headers: { "Retry-After": "30" } });
    }
    const { connection, body } = openStream(request);
    db.streamConnections.push(connection);
    return new HttpResponse(body, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
  }),

  http.get(`${API}/activity/histogram`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.histogram)),

  http.get(`${API}/background-tasks/status`, async ({ request }) => (await record(request)) ?? HttpResponse.json<Schemas["TaskList"]>({ tasks: db.tasks })),

  http.get(`${API}/background-tasks/:name/runs`, async ({ request, params }) => {
    const denied = await record(request);
    if (denied) return denied;
    const name = String(params.name);
    if (!db.tasks.some((t) => t.task_name === name)) return errorResponse(`No task named ${name}`, 404);
    const limit = Number(new URL(request.url).searchParams.get("limit") ?? 20);
    return HttpResponse.json<Schemas["TaskRunList"]>({ runs: (db.taskRuns[name] ?? []).slice(0, limit) });
  }),

  taskAction("run"),
  taskAction("pause"),
  taskAction("resume"),

  http.get(`${API}/streams/active`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.streams)),

  http.get(`${API}/streams/history`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.streamHistory)),

  http.get(`${API}/streams/:id/samples`, async ({ request, params }) => {
    const denied = await record(request);
    if (denied) return denied;
    const samples = db.streamSamples[String(params.id)];
    return samples ? HttpResponse.json(samples) : errorResponse(`No stream with id ${String(params.id)}`, 404);
  }),

  http.get(`${API}/warp/status`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.warp)),
  http.get(`${API}/uptime`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.uptime)),

  http.get(`${API}/notifications`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.notifications)),

  http.put(`${API}/notifications/mute`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    const { minutes } = (await request.json()) as Schemas["MuteRequest"];
    db.notifications = { ...db.notifications, muted_until: new Date(Date.now() + (minutes ?? 0) * 60_000).toISOString() };
    return HttpResponse.json(db.notifications);
  }),

  http.delete(`${API}/notifications/mute`, async ({ request }) => {
    const denied = await record(request);
    if (denied) return denied;
    db.notifications = { ...db.notifications, muted_until: null };
    return HttpResponse.json(db.notifications);
  }),

  http.post(`${API}/notifications/test`, async ({ request }) => (await record(request)) ?? HttpResponse.json(db.notificationTest)),
];
