import { describe, expect, it, vi } from "vitest";
import { setToken } from "../../api/token";
import { createActivity, createDashboardConfig, createTaskRun } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { live, liveStatus, loadedSection, renderApp, waitFor, within } from "../../testing/test-utils";

function messages(card: HTMLElement): (string | null)[] {
  const table = within(card).getByRole("table", { name: "Activity log, newest first" });
  return within(table).getAllByRole("row").slice(1).map((row) => within(row).getAllByRole("cell")[4]?.textContent ?? null);
}

describe("Live activity", () => {
  it("shows Live and puts streamed rows at the top of the log once each, with the token", async () => {
    setToken("s3cret");
    db.apiToken = "s3cret";
    db.streamAccepting = true;
    const old = createActivity({ message: "Scraped 3 sources" });
    db.activity = [old];
    renderApp();
    const card = await loadedSection("Activity log");
    const stream = await live();
    expect(requestsTo("/activity/stream").at(-1)?.authorization).toBe("Bearer s3cret");
    expect(Object.fromEntries(stream.params)).toEqual({ min_level: "info" });

    const fresh = createActivity({ message: "Task scrape started", type: "background_task" });
    stream.sendActivity(fresh);
    stream.keepalive();
    stream.sendActivity(fresh);
    stream.sendActivity(old);
    const newer = createActivity({ message: "Task scrape finished", type: "background_task" });
    stream.sendActivity(newer);
    await waitFor(() => expect(messages(card)).toEqual(["Task scrape finished", "Task scrape started", "Scraped 3 sources"]));
  });

  it("refetches the sections once the stream opens, then those a status event names", async () => {
    db.streamAccepting = true;
    renderApp();
    await loadedSection("Background tasks");
    const stream = await live();
    // status events are not replayed: each section is read again once the stream is open
    for (const path of ["/background-tasks/status", "/warp/status", "/streams/active"]) {
      await waitFor(() => expect(requestsTo(path)).toHaveLength(2));
    }
    stream.sendStatus({ changed: ["tasks", "warp"] });
    await waitFor(() => expect(requestsTo("/background-tasks/status")).toHaveLength(3));
    await waitFor(() => expect(requestsTo("/warp/status")).toHaveLength(3));
    expect(requestsTo("/streams/active")).toHaveLength(2);
  });

  it("on a tasks event reads the task list, and the runs of a task only once one of its runs finished", async () => {
    db.streamAccepting = true;
    renderApp();
    const card = await loadedSection("Background tasks");
    const stream = await live();
    await waitFor(() => expect(requestsTo("/background-tasks/status")).toHaveLength(2));
    const runsOf = (task: string) => requestsTo(`/background-tasks/${task}/runs`).length;
    expect([runsOf("scrape"), runsOf("epg_refresh")]).toEqual([1, 1]);

    const finished = new Date().toISOString();
    const run = createTaskRun({ task_name: "scrape", started_at: finished, finished_at: finished, outcome: "error", error: "boom" });
    db.taskRuns = { ...db.taskRuns, scrape: [run, ...(db.taskRuns.scrape ?? [])] };
    db.tasks = db.tasks.map((task) => (task.task_name === "scrape" ? { ...task, last_run: finished, last_finished: finished } : task));
    stream.sendStatus({ changed: ["tasks"] });
    await waitFor(() => expect(requestsTo("/background-tasks/status")).toHaveLength(3));
    await waitFor(() => expect(runsOf("scrape")).toBe(2));
    const newestOfScrape = () => within(within(card).getByRole("list", { name: "Recent runs of scrape, oldest first" })).getAllByRole("listitem").at(-1);
    await waitFor(() => expect(newestOfScrape()).toHaveAttribute("data-outcome", "error"));
    // A tasks event with nothing finished reads the list only.
    stream.sendStatus({ changed: ["tasks"] });
    await waitFor(() => expect(requestsTo("/background-tasks/status")).toHaveLength(4));
    expect([runsOf("scrape"), runsOf("epg_refresh")]).toEqual([2, 1]);
  });

  it("stops polling the log while live; when the stream drops, polls, says so and resumes after the last row", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    db.config = createDashboardConfig({ auto_refresh_enabled: true, refresh_interval_seconds: 10 });
    db.streamAccepting = true;
    renderApp({ fakeTimers: true });
    const card = await loadedSection("Activity log");
    const stream = await live();
    const polled = requestsTo("/activity/recent").length;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(requestsTo("/activity/recent")).toHaveLength(polled);

    const row = createActivity({ message: "Streamed before the drop" });
    db.activity = [row, ...db.activity];
    stream.sendActivity(row);
    await waitFor(() => expect(messages(card)[0]).toBe("Streamed before the drop"));
    db.streamAccepting = false;
    stream.drop();
    await waitFor(() => expect(liveStatus()).toHaveTextContent("Live updates paused — refreshing every 10 s; reconnecting…"));
    await vi.advanceTimersByTimeAsync(10_000);
    await waitFor(() => expect(requestsTo("/activity/recent").length).toBeGreaterThan(polled));

    db.streamAccepting = true;
    const refused = requestsTo("/activity/stream").length;
    await vi.advanceTimersByTimeAsync(30_000);
    const resumed = await live();
    expect(requestsTo("/activity/stream").length).toBeGreaterThan(refused);
    expect(resumed.lastEventId).toBe(String(row.id));
  });

  it("waits as long as a refusal's Retry-After asks before opening the stream again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    db.config = createDashboardConfig({ auto_refresh_enabled: true, refresh_interval_seconds: 10 });
    db.streamAccepting = false; // answered 503 with Retry-After: 30
    renderApp({ fakeTimers: true });
    await loadedSection("Activity log");
    await waitFor(() => expect(requestsTo("/activity/stream")).toHaveLength(1));
    await waitFor(() => expect(liveStatus()).toHaveTextContent("reconnecting"));

    db.streamAccepting = true;
    await vi.advanceTimersByTimeAsync(25_000); // past every early backoff step, short of 30 s
    expect(requestsTo("/activity/stream")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    await live();
    expect(requestsTo("/activity/stream")).toHaveLength(2);
  });

  it("opens no stream while auto-refresh is off", async () => {
    db.config = createDashboardConfig({ auto_refresh_enabled: false });
    db.streamAccepting = true;
    renderApp();
    await loadedSection("Activity log");
    expect(liveStatus()).toHaveTextContent(/^$/);
    expect(requestsTo("/activity/stream")).toEqual([]);
  });
});
