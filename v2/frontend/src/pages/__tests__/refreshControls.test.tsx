import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { createDashboardConfig, createValidationError } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, waitFor } from "../../testing/test-utils";

const POLLED = [
  "/activity/recent",
  "/activity/histogram",
  "/background-tasks/status",
  "/streams/active",
  "/streams/history",
  "/streams/3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f/samples",
  "/warp/status",
];

function counts(): number[] {
  return POLLED.map((path) => requestsTo(path).length);
}

async function allLoaded() {
  for (const name of ["Now playing", "Streams over time", "WARP", "Background tasks", "Activity over time", "Activity log"]) await loadedSection(name);
}

describe("Refresh controls", () => {
  it("shows the saved settings and the last update time", async () => {
    db.config = createDashboardConfig({ auto_refresh_enabled: false, refresh_interval_seconds: 300 });
    renderApp();
    await allLoaded();
    expect(screen.getByRole("switch", { name: "Auto-refresh" })).not.toBeChecked();
    expect(screen.getByRole("combobox", { name: "Refresh every" })).toHaveValue("300");
    expect(screen.getByText(/^Updated/)).toHaveTextContent(/Updated \d{1,2}:\d{2}:\d{2}/);
  });

  it("polls every section at the saved interval; the toggle and interval selector save and change it", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    db.config = createDashboardConfig({ auto_refresh_enabled: true, refresh_interval_seconds: 10 });
    const { user } = renderApp({ fakeTimers: true });
    await allLoaded();
    await waitFor(() => expect(screen.getByRole("switch", { name: "Auto-refresh" })).toBeChecked());
    const start = counts();

    await vi.advanceTimersByTimeAsync(10_000);
    await waitFor(() => expect(counts()).toEqual(start.map((n) => n + 1)));

    await user.click(screen.getByRole("switch", { name: "Auto-refresh" }));
    await waitFor(() => expect(screen.getByRole("switch", { name: "Auto-refresh" })).not.toBeChecked());
    expect(requestsTo("/config/dashboard", "PUT").map((r) => r.body)).toEqual([{ auto_refresh_enabled: false }]);
    const stopped = counts();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(counts()).toEqual(stopped);

    await user.selectOptions(screen.getByRole("combobox", { name: "Refresh every" }), "1 min");
    await waitFor(() => expect(db.config.refresh_interval_seconds).toBe(60));
    await user.click(screen.getByRole("switch", { name: "Auto-refresh" }));
    await waitFor(() => expect(db.config.auto_refresh_enabled).toBe(true));
    expect(requestsTo("/config/dashboard", "PUT").map((r) => r.body)).toEqual([
      { auto_refresh_enabled: false },
      { refresh_interval_seconds: 60 },
      { auto_refresh_enabled: true },
    ]);
    const restarted = counts();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(counts()).toEqual(restarted);
    await vi.advanceTimersByTimeAsync(30_000);
    await waitFor(() => expect(counts()).toEqual(restarted.map((n) => n + 1)));
  });

  it("refetches every section on Refresh now", async () => {
    db.config = createDashboardConfig({ auto_refresh_enabled: false });
    const { user } = renderApp();
    await allLoaded();
    const before = counts();
    await user.click(screen.getByRole("button", { name: "Refresh now" }));
    await waitFor(() => expect(counts()).toEqual(before.map((n) => n + 1)));
    expect(requestsTo("/config/dashboard")).toHaveLength(2);
  });

  it("shows why a setting could not be saved", async () => {
    server.use(
      http.put("*/api/v1/config/dashboard", () =>
        HttpResponse.json(createValidationError("refresh_interval_seconds", "Input should be greater than or equal to 10"), { status: 422 }),
      ),
    );
    const { user } = renderApp();
    await allLoaded();
    await user.selectOptions(screen.getByRole("combobox", { name: "Refresh every" }), "10 s");
    expect(await screen.findByText("Could not save refresh settings: Input should be greater than or equal to 10")).toBeInTheDocument();
  });

  it("says when the settings cannot be loaded and retries", async () => {
    server.use(http.get("*/api/v1/config/dashboard", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 }), { once: true }));
    const { user } = renderApp();
    expect(await screen.findByText(/Could not load refresh settings: The database is unavailable/)).toBeInTheDocument();
    expect(screen.getByRole("switch", { name: "Auto-refresh" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Retry loading refresh settings" }));
    await waitFor(() => expect(screen.getByRole("switch", { name: "Auto-refresh" })).toBeEnabled());
  });
});
