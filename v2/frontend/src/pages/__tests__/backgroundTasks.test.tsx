import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { createTask, TASK_NAMES } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

function taskItem(list: HTMLElement, name: string): HTMLElement {
  const heading = within(list).getByRole("heading", { name });
  const item = heading.closest("li");
  if (!item) throw new Error(`no list item for ${name}`);
  return item;
}

/**
 * A task's last run is 600 s old and its last success 596 s: "10 minutes ago" names only the run
 * while the page renders within 4 s of the data being built, which a cold, loaded machine misses.
 * Freezing Date (timers stay real) makes the data and the page read the same instant.
 */
function freezeClock(): void {
  vi.useFakeTimers({ toFake: ["Date"] });
}

describe("Background tasks", () => {
  it("lists every task with status, timing, counts, last error and last result", async () => {
    freezeClock();
    db.tasks = [
      createTask({ task_name: "scrape", status: "error", overdue: true, last_error: "3 of 3 sources failed", last_error_trace: "Traceback: boom" }),
      ...TASK_NAMES.slice(1).map((task_name) => createTask({ task_name })),
    ];
    renderApp();
    const card = await loadedSection("Background tasks");
    const list = within(card).getByRole("list", { name: "Background tasks" });
    for (const name of TASK_NAMES) expect(within(list).getByRole("heading", { name })).toBeInTheDocument();

    const scrape = taskItem(list, "scrape");
    expect(within(scrape).getByText("Error")).toBeInTheDocument();
    expect(within(scrape).getByText("Overdue")).toBeInTheDocument();
    expect(within(scrape).getByText("3 of 3 sources failed")).toBeInTheDocument();
    expect(within(scrape).getByText("Traceback: boom")).toBeInTheDocument();
    expect(within(scrape).getByText("10 minutes ago")).toBeInTheDocument();
    expect(within(scrape).getByText(/^in (49|50) minutes$/)).toBeInTheDocument();
    expect(within(scrape).getByText("4.2 s")).toBeInTheDocument();
    expect(within(scrape).getByText("12 runs, 1 failed")).toBeInTheDocument();
    expect(within(scrape).getByText("Channels found")).toBeInTheDocument();
    expect(within(scrape).getByText("120")).toBeInTheDocument();

    const epg = taskItem(list, "epg_refresh");
    expect(within(epg).getByText("Idle")).toBeInTheDocument();
    expect(within(epg).queryByText("Overdue")).not.toBeInTheDocument();
  });

  it("shows the exact time of a relative time as its description", async () => {
    freezeClock();
    renderApp();
    const card = await loadedSection("Background tasks");
    const lastRun = within(taskItem(card, "scrape")).getByText("10 minutes ago");
    expect(lastRun.tagName).toBe("TIME");
    expect(lastRun.getAttribute("title")).toMatch(/\(\d{4}-\d{2}-\d{2}T.*Z\)$/);
  });

  it("explains the empty state", async () => {
    db.tasks = [];
    renderApp();
    const card = await loadedSection("Background tasks");
    expect(within(card).getByText(/No background tasks are registered yet/)).toBeInTheDocument();
  });

  it("shows a load error and recovers with Retry", async () => {
    server.use(http.get("*/api/v1/background-tasks/status", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 }), { once: true }));
    const { user } = renderApp();
    const card = section("Background tasks");
    expect(await within(card).findByText(/The database is unavailable \(HTTP 503\)/)).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Retry loading background tasks" }));
    expect(await within(card).findByRole("heading", { name: "activity_cleanup" })).toBeInTheDocument();
  });

  it("runs a task: the button shows progress, then a success message and the new run count", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.post("*/api/v1/background-tasks/activity_cleanup/run", async () => {
        await gate;
        const task = db.tasks.find((t) => t.task_name === "activity_cleanup");
        if (task) task.run_count += 1;
        return HttpResponse.json({ task_name: "activity_cleanup", detail: "Task activity_cleanup started" }, { status: 202 });
      }),
    );
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = taskItem(card, "activity_cleanup");
    const run = within(item).getByRole("button", { name: "Run now: activity_cleanup" });
    await user.click(run);

    expect(run).toBeDisabled();
    expect(within(run).getByRole("progressbar")).toBeInTheDocument();
    expect(within(item).getByRole("button", { name: "Pause activity_cleanup" })).toBeDisabled();
    expect(within(taskItem(card, "scrape")).getByRole("button", { name: "Run now: scrape" })).toBeEnabled();

    release();
    expect(await screen.findByText("Task activity_cleanup started")).toBeInTheDocument();
    expect(await within(item).findByText("13 runs, 1 failed")).toBeInTheDocument();
    expect(run).toBeEnabled();
  });

  it("shows the 409 message when the task is already running", async () => {
    db.tasks = [createTask({ task_name: "scrape", status: "running" })];
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    expect(within(card).getByText("Running")).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Run now: scrape" }));
    const alert = await screen.findByText("Could not run scrape: Task scrape is already running; wait for it to finish");
    expect(alert.closest("[role=alert]")).toBeInTheDocument();
    await user.click(within(alert.closest("[role=alert]") as HTMLElement).getByRole("button", { name: /close/i }));
    await waitFor(() => expect(screen.queryByText(/already running/)).not.toBeInTheDocument());
  });

  it("pauses and resumes a task", async () => {
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    await user.click(within(taskItem(card, "epg_refresh")).getByRole("button", { name: "Pause epg_refresh" }));
    const item = taskItem(card, "epg_refresh");
    expect(await within(item).findByText("Paused")).toBeInTheDocument();
    expect(within(item).getByText("Not while paused")).toBeInTheDocument();
    expect(requestsTo("/background-tasks/epg_refresh/pause", "POST")).toHaveLength(1);

    await user.click(within(item).getByRole("button", { name: "Resume epg_refresh" }));
    expect(await within(item).findByText("Idle")).toBeInTheDocument();
    expect(within(item).getByRole("button", { name: "Pause epg_refresh" })).toBeEnabled();
    expect(requestsTo("/background-tasks/epg_refresh/resume", "POST")).toHaveLength(1);
  });

  it("shows a success with warnings as an amber Warnings chip listing each warning, not a green Idle", async () => {
    const warnings = ["http://lists.example/a.m3u (HTTP 404 Not Found)", "http://lists.example/\u202Eu3m.b (timed out)"];
    db.tasks = [
      createTask({
        task_name: "scrape",
        degraded: true,
        warnings,
        last_result: { urls: 3, channels_found: 80, new: 0, failed_urls: ["http://lists.example/a.m3u"], warnings },
      }),
      createTask({ task_name: "epg_refresh", status: "running", degraded: true, warnings: ["http://guides.example/g.xml (timed out)"] }),
      ...TASK_NAMES.slice(2).map((task_name) => createTask({ task_name })),
    ];
    renderApp();
    const card = await loadedSection("Background tasks");

    const scrape = taskItem(card, "scrape");
    expect(within(scrape).queryByText("Idle")).not.toBeInTheDocument();
    expect(within(scrape).getByText("Warnings").closest(".MuiChip-root")).toHaveClass("MuiChip-colorWarning");
    const listed = within(scrape).getByRole("list", { name: "Warnings of scrape" });
    expect(within(listed).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "http://lists.example/a.m3u (HTTP 404 Not Found)",
      "http://lists.example/\\u202Eu3m.b (timed out)",
    ]);
    // Shown once, in the alert: not again among the result's values.
    expect(within(scrape).getAllByText("Warnings")).toHaveLength(1);

    const epg = taskItem(card, "epg_refresh");
    expect(within(epg).getByText("Running")).toBeInTheDocument();
    expect(within(epg).getByText("Warnings")).toBeInTheDocument();

    const playlist = taskItem(card, "playlist_generation");
    expect(within(playlist).getByText("Idle").closest(".MuiChip-root")).toHaveClass("MuiChip-colorSuccess");
    expect(within(playlist).queryByText("Warnings")).not.toBeInTheDocument();
  });
});
