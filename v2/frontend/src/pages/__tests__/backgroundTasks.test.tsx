import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { createTask, createTaskRun, TASK_NAMES } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

function taskItem(list: HTMLElement, name: string): HTMLElement {
  const heading = within(list).getByRole("heading", { name });
  const item = heading.closest("li");
  if (!item) throw new Error(`no list item for ${name}`);
  return item;
}

/** The task's row once its recent runs have loaded. */
async function loadedItem(card: HTMLElement, name: string): Promise<HTMLElement> {
  const item = taskItem(card, name);
  await within(item).findByRole("list", { name: `Recent runs of ${name}, oldest first` });
  return item;
}

type User = ReturnType<typeof renderApp>["user"];

async function expand(user: User, item: HTMLElement, name: string): Promise<void> {
  await user.click(within(item).getByRole("button", { name: `Details: ${name}` }));
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
  it("shows each task as a compact row: status, last and next run, a strip of its recent runs", async () => {
    freezeClock();
    db.tasks = [createTask({ task_name: "scrape", overdue: true }), ...TASK_NAMES.slice(1).map((task_name) => createTask({ task_name }))];
    db.taskRuns.scrape = [
      createTaskRun({ id: 903, error: null, result: { urls: 3, channels_found: 120, warnings: ["http://a.example/x.m3u (HTTP 404 Not Found)"] } }),
      createTaskRun({ id: 902, outcome: "error", error: "3 of 3 sources failed", result: null, started_at: new Date(Date.now() - 3_600_000).toISOString(), duration_seconds: 75 }),
      createTaskRun({ id: 901, outcome: "interrupted", result: null }),
    ];
    renderApp();
    const card = await loadedSection("Background tasks");
    const list = within(card).getByRole("list", { name: "Background tasks" });
    for (const name of TASK_NAMES) expect(within(list).getByRole("heading", { name })).toBeInTheDocument();

    const scrape = await loadedItem(card, "scrape");
    expect(within(scrape).getByText("Overdue")).toBeInTheDocument();
    expect(within(scrape).getByText("10 minutes ago")).toBeInTheDocument();
    expect(within(scrape).getByText(/^in (49|50) minutes$/)).toBeInTheDocument();
    const strip = within(scrape).getByRole("list", { name: "Recent runs of scrape, oldest first" });
    const cells = within(strip).getAllByRole("listitem");
    expect(cells.map((cell) => cell.getAttribute("data-outcome"))).toEqual(["interrupted", "error", "degraded"]);
    expect(cells[1]).toHaveTextContent("Failed · 1 hour ago · 1 min 15 s");
    expect(cells[2]).toHaveTextContent("Succeeded with warnings · 10 minutes ago · 4.2 s");
    // The details stay folded until asked for.
    expect(within(scrape).queryByText("Last run's result")).not.toBeInTheDocument();
  });

  it("walks a task's recent runs from one Tab stop, each run told in the tooltip", async () => {
    freezeClock();
    db.taskRuns.scrape = [
      createTaskRun({ id: 912, duration_seconds: 4.2 }),
      createTaskRun({ id: 911, outcome: "error", error: "3 of 3 sources failed", result: null, started_at: new Date(Date.now() - 3_600_000).toISOString(), duration_seconds: 75 }),
    ];
    const { user } = renderApp();
    const scrape = await loadedItem(await loadedSection("Background tasks"), "scrape");
    const strip = within(scrape).getByRole("group", { name: "Recent runs of scrape: arrow keys show each run" });
    strip.focus();
    const tooltip = within(strip).getByRole("status");
    await waitFor(() => expect(tooltip).toHaveTextContent(/^Succeeded · .* · 4.2 s$/));
    await user.keyboard("{ArrowLeft}");
    expect(tooltip).toHaveTextContent("Failed · 1 hour ago · 1 min 15 s");
    await user.keyboard("{Escape}");
    expect(tooltip).toBeEmptyDOMElement();
    // The runs are one Tab stop: the next is the row's first button.
    await user.keyboard("{Tab}");
    expect(within(scrape).getByRole("button", { name: "Run now: scrape" })).toHaveFocus();
  });

  it("expands to details with human labels and the last run's result", async () => {
    freezeClock();
    db.taskRuns.activity_cleanup = [
      createTaskRun({ task_name: "activity_cleanup", result: { deleted: 10840, cutoff: "2026-11-24T21:57:45.983690+00:00", retention_days: 7, rows_vacuumed: 3 } }),
    ];
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = await loadedItem(card, "activity_cleanup");
    await expand(user, item, "activity_cleanup");

    expect(within(item).getByRole("button", { name: "Details: activity_cleanup" })).toHaveAttribute("aria-expanded", "true");
    expect(within(item).getByText("4.2 s")).toBeInTheDocument();
    expect(within(item).getByText("12 runs, 1 failed")).toBeInTheDocument();
    const cutoff = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date("2026-11-24T21:57:45.983690Z"));
    expect(within(item).getByText("Deleted entries older than").nextElementSibling).toHaveTextContent(cutoff);
    expect(within(item).getByText("Entries deleted").nextElementSibling).toHaveTextContent("10,840");
    expect(within(item).getByText("Retention (days)").nextElementSibling).toHaveTextContent("7");
    // A key without its own words is humanised.
    expect(within(item).getByText("Rows vacuumed").nextElementSibling).toHaveTextContent("3");
    expect(within(item).queryByText(/T21:57:45/)).not.toBeInTheDocument();
  });

  it("shows the last run's error, not an earlier success's result, for a task whose last run failed", async () => {
    db.tasks = [
      ...TASK_NAMES.slice(1).map((task_name) => createTask({ task_name })),
      createTask({ task_name: "scrape", status: "error", last_error: "3 of 3 sources failed", last_error_trace: "Traceback: boom" }),
    ];
    db.taskRuns.scrape = [createTaskRun({ outcome: "error", error: "3 of 3 sources failed", result: null }), createTaskRun()];
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = await loadedItem(card, "scrape");
    await expand(user, item, "scrape");

    expect(within(item).getByText("Error")).toBeInTheDocument();
    expect(within(item).getByText("The last run failed")).toBeInTheDocument();
    expect(within(item).getByText("3 of 3 sources failed")).toBeInTheDocument();
    expect(within(item).getByText("Traceback: boom")).toBeInTheDocument();
    expect(within(item).queryByText("Last run's result")).not.toBeInTheDocument();
    expect(within(item).queryByText("Channels found")).not.toBeInTheDocument();
  });

  it("does not show an old error once the last run succeeded", async () => {
    db.tasks = [createTask({ task_name: "scrape", last_error: "an old failure" })];
    db.taskRuns = { scrape: [createTaskRun({ result: { urls: 3, channels_found: 120, new: 4, failed_urls: [] } })] };
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = await loadedItem(card, "scrape");
    await expand(user, item, "scrape");
    expect(within(item).queryByText("an old failure")).not.toBeInTheDocument();
    expect(within(item).getByText("Sources").nextElementSibling).toHaveTextContent("3");
    expect(within(item).getByText("Channels found").nextElementSibling).toHaveTextContent("120");
    expect(within(item).getByText("New channels").nextElementSibling).toHaveTextContent("4");
    expect(within(item).getByText("Failed sources").nextElementSibling).toHaveTextContent("none");
  });

  it("lists failing tasks first, then those with warnings", async () => {
    db.tasks = [
      createTask({ task_name: "scrape" }),
      createTask({ task_name: "epg_refresh", degraded: true, warnings: ["http://guides.example/g.xml (timed out)"] }),
      createTask({ task_name: "playlist_generation", status: "error", last_error: "disk full" }),
      createTask({ task_name: "status_check" }),
    ];
    renderApp();
    const card = await loadedSection("Background tasks");
    const headings = within(within(card).getByRole("list", { name: "Background tasks" })).getAllByRole("heading");
    expect(headings.map((heading) => heading.textContent)).toEqual(["playlist_generation", "epg_refresh", "scrape", "status_check"]);
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

  it("runs a task from the keyboard: focus stays on Run now, the toast names the task, then how the run ended", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.post("*/api/v1/background-tasks/activity_cleanup/run", async () => {
        await gate;
        return HttpResponse.json({ task_name: "activity_cleanup", detail: "Run started" }, { status: 202 });
      }),
    );
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = await loadedItem(card, "activity_cleanup");
    // WCAG 2.5.3: the accessible name holds the visible label.
    const run = within(item).getByRole("button", { name: "Run now: activity_cleanup" });
    expect(run).toHaveTextContent("Run now");
    run.focus();
    await user.keyboard("{Enter}");

    await waitFor(() => expect(run).toHaveAttribute("aria-disabled", "true"));
    expect(within(run).getByRole("progressbar")).toBeInTheDocument();
    expect(run).toHaveFocus();
    expect(within(item).getByRole("button", { name: "Pause: activity_cleanup" })).toHaveAttribute("aria-disabled", "true");
    expect(within(taskItem(card, "scrape")).getByRole("button", { name: "Run now: scrape" })).toHaveAttribute("aria-disabled", "false");

    release();
    expect(await screen.findByText(/^activity_cleanup: run started/, undefined, { timeout: 5000 })).toBeInTheDocument();
    expect(run).toHaveAttribute("aria-disabled", "false");
    expect(run).toHaveFocus();

    db.taskRuns.activity_cleanup?.unshift(createTaskRun({ task_name: "activity_cleanup", trigger: "manual", result: { deleted: 10840, retention_days: 7 } }));
    const done = await screen.findByText("activity_cleanup finished: 10,840 entries deleted", undefined, { timeout: 5000 });
    expect(done.closest("[role=alert]")).toHaveClass("MuiAlert-colorSuccess");
    expect(run).toHaveFocus();
  });

  it("says so when the manual run fails", async () => {
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = await loadedItem(card, "scrape");
    await user.click(within(item).getByRole("button", { name: "Run now: scrape" }));
    expect(await screen.findByText(/^scrape: run started/, undefined, { timeout: 5000 })).toBeInTheDocument();

    db.taskRuns.scrape?.unshift(createTaskRun({ trigger: "manual", outcome: "error", error: "3 of 3 sources failed", result: null }));
    const failed = await screen.findByText("scrape failed: 3 of 3 sources failed", undefined, { timeout: 5000 });
    expect(failed.closest("[role=alert]")).toHaveClass("MuiAlert-colorError");
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

  it("pauses and resumes from the keyboard with one button that keeps the focus", async () => {
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");
    const item = taskItem(card, "epg_refresh");
    const toggle = within(item).getByRole("button", { name: "Pause: epg_refresh" });
    toggle.focus();
    await user.keyboard("{Enter}");

    expect(await within(item).findByText("Paused")).toBeInTheDocument();
    expect(within(item).getByText("Not while paused")).toBeInTheDocument();
    expect(requestsTo("/background-tasks/epg_refresh/pause", "POST")).toHaveLength(1);
    expect(await screen.findByText("epg_refresh paused: it won't run until you resume it")).toBeInTheDocument();
    const resume = within(item).getByRole("button", { name: "Resume: epg_refresh" });
    expect(resume).toHaveFocus();

    await user.keyboard("{Enter}");
    expect(await within(item).findByText("Idle")).toBeInTheDocument();
    expect(within(item).getByRole("button", { name: "Pause: epg_refresh" })).toHaveFocus();
    expect(requestsTo("/background-tasks/epg_refresh/resume", "POST")).toHaveLength(1);
  });

  it("shows a success with warnings as an amber Warnings chip listing each warning, not a green Idle", async () => {
    const warnings = ["http://lists.example/a.m3u (HTTP 404 Not Found)", "http://lists.example/\u202Eu3m.b (timed out)"];
    const result = { urls: 3, channels_found: 80, new: 0, failed_urls: ["http://lists.example/a.m3u"], warnings };
    db.tasks = [
      createTask({ task_name: "scrape", degraded: true, warnings, last_result: result }),
      createTask({ task_name: "epg_refresh", status: "running", degraded: true, warnings: ["http://guides.example/g.xml (timed out)"] }),
      ...TASK_NAMES.slice(2).map((task_name) => createTask({ task_name })),
    ];
    db.taskRuns.scrape = [createTaskRun({ result })];
    const { user } = renderApp();
    const card = await loadedSection("Background tasks");

    const scrape = await loadedItem(card, "scrape");
    expect(within(scrape).queryByText("Idle")).not.toBeInTheDocument();
    expect(within(scrape).getByText("Warnings").closest(".MuiChip-root")).toHaveClass("MuiChip-colorWarning");
    await expand(user, scrape, "scrape");
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

  it("speaks Spanish", async () => {
    renderApp({ language: "es" });
    const card = await loadedSection("Tareas en segundo plano");
    const item = taskItem(card, "scrape");
    expect(await within(item).findByRole("list", { name: "Últimas ejecuciones de scrape, de la más antigua a la más reciente" })).toBeInTheDocument();
    expect(within(item).getByRole("button", { name: "Ejecutar ahora: scrape" })).toHaveTextContent("Ejecutar ahora");
    expect(within(item).getByRole("button", { name: "Pausar: scrape" })).toBeInTheDocument();
    expect(within(item).getByText(/Última ejecución/)).toBeInTheDocument();
  });
});
