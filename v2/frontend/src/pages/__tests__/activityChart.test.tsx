// The viewer is in Los Angeles (UTC−8 in December): set before anything reads the clock's zone.
import { vi } from "vitest";
vi.hoisted(() => {
  process.env.TZ = "America/Los_Angeles";
});

import { act, fireEvent } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

/** Tuesday 1 December, 19:30 in Los Angeles; already Wednesday 2 December in UTC. */
const NOW = Date.parse("2026-12-02T03:30:00Z");
const HOUR = 3_600_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

function chartIn(card: HTMLElement, name: RegExp = /^Activity per/): HTMLElement {
  return within(card).getByRole("img", { name });
}

function tooltip(card: HTMLElement, index = 0): string {
  return within(card).getAllByRole("status")[index]?.textContent ?? "";
}

describe("Activity chart", { timeout: 60_000 }, () => {
  it("runs in Los Angeles", () => {
    expect(new Date(NOW).getTimezoneOffset()).toBe(480);
  });

  it("is busy while loading", () => {
    server.use(http.get("*/api/v1/activity/histogram", () => new Promise<Response>(() => undefined)));
    renderApp();
    const card = section("Activity over time");
    expect(card).toHaveAttribute("aria-busy", "true");
    expect(within(card).getByText("Loading the activity chart…")).toBeInTheDocument();
  });

  it("draws the last 24 hours as the server counts them, hours labelled in local time, with a tooltip per bar", async () => {
    db.histogram = {
      bucket_seconds: 3600,
      // Two hours apart: the hour in between is missing and must still get a bar.
      buckets: [
        { start: new Date(NOW - 2.5 * HOUR).toISOString(), counts: { scrape: 3, error: 1 }, levels: { error: 1 } },
        { start: "2026-12-02T03:00:00Z", counts: { scrape: 1, background_task: 2 }, levels: {} },
      ],
    };
    const { user } = renderApp();
    const card = await loadedSection("Activity over time");
    expect(screen.getByRole("combobox", { name: "Period" })).toHaveDisplayValue("Last 24 hours");
    const chart = chartIn(card);
    expect(chart).toHaveAccessibleName("Activity per hour, 25 bars, busiest 4 events: 4 scrape, 2 background task, 1 error.");
    // 03:00 UTC yesterday (the hour holding now − 24 h) … 03:00 UTC today: not from 00:00 UTC.
    expect(chart.querySelectorAll("[data-bar]")).toHaveLength(25);
    expect(chart.querySelector("g[data-bucket]")).toHaveAttribute("data-bucket", "2026-12-01T03:00:00.000Z");
    const totals = within(card).getByRole("list", { name: "Totals by type" });
    expect(within(totals).getByText("Scrape: 4")).toBeInTheDocument();
    expect(within(totals).getByText("User action: 0")).toBeInTheDocument();

    await user.hover(chart.querySelector('[data-bar="24"]')!);
    // 03:00 UTC is 19:00 on Tuesday in Los Angeles.
    expect(tooltip(card)).toBe("Tue 07:00 PMScrape: 1Background task: 2");
    await user.hover(chart.querySelector('[data-bar="23"]')!);
    expect(tooltip(card)).toBe("Tue 06:00 PMno activity");
    // Ticks at local hours: 12 AM, 6 AM, 12 PM, 6 PM, the weekday where the day changes.
    expect(within(card).getByText("Tue 12:00 AM")).toBeInTheDocument();
    expect(within(card).getByText("06:00 PM")).toBeInTheDocument();
  });

  it("walks the bars with the keyboard", async () => {
    db.histogram = { bucket_seconds: 3600, buckets: [{ start: "2026-12-02T02:00:00Z", counts: { scrape: 7 }, levels: {} }] };
    const { user } = renderApp();
    const card = await loadedSection("Activity over time");
    const [bars] = within(card).getAllByRole("group", { name: /arrow keys/ });
    act(() => bars!.focus());
    expect(tooltip(card)).toBe("Tue 07:00 PMno activity");
    await user.keyboard("{ArrowLeft}");
    expect(tooltip(card)).toBe("Tue 06:00 PMScrape: 7");
    await user.keyboard("{Home}");
    expect(tooltip(card)).toMatch(/^Mon 07:00 PM/);
    await user.keyboard("{Escape}");
    expect(tooltip(card)).toBe("");
    fireEvent.blur(bars!);
  });

  it("names daily bars by their UTC day and says so, with thousands separators and gridlines", async () => {
    db.histogram = {
      bucket_seconds: 86_400,
      buckets: [
        { start: "2026-12-01T00:00:00Z", counts: { scrape: 10_840 }, levels: {} },
        { start: "2026-12-02T00:00:00Z", counts: { scrape: 5 }, levels: {} },
      ],
    };
    const { user } = renderApp();
    await loadedSection("Activity over time");
    await user.selectOptions(screen.getByRole("combobox", { name: "Period" }), "Last 7 days");
    await waitFor(() => expect(requestsTo("/activity/histogram").at(-1)?.params.get("days")).toBe("7"));
    const card = section("Activity over time");
    const chart = await within(card).findByRole("img", { name: /^Activity per day/ });
    expect(chart).toHaveAccessibleName("Activity per day, 8 bars, busiest 10,840 events: 10,845 scrape.");
    expect(within(card).getByText("Each bar is a UTC day (from 00:00 UTC).")).toBeInTheDocument();
    // In Los Angeles local time the last bar would read Dec 1: it is the UTC day Dec 2.
    await user.hover(chart.querySelector('[data-bar="7"]')!);
    expect(tooltip(card)).toBe("Dec 2Scrape: 5");
    await user.hover(chart.querySelector('[data-bar="6"]')!);
    expect(tooltip(card)).toBe("Dec 1Scrape: 10,840");
    // Every other day labelled, counted back from today's; values 0–15,000 by 5,000.
    for (const label of ["Dec 2", "Nov 30", "Nov 28", "Nov 26", "15,000", "10,000", "5,000"]) expect(within(card).getAllByText(label).length).toBeGreaterThan(0);
    expect(chart.querySelectorAll("[data-gridline]")).toHaveLength(3);
  });

  it("offers no period longer than the retention", async () => {
    db.config.retention_days = 3;
    renderApp();
    await loadedSection("Activity over time");
    const period = screen.getByRole("combobox", { name: "Period" });
    await waitFor(() => expect(within(period).getAllByRole("option")).toHaveLength(4));
    expect(within(period).getAllByRole("option").map((o) => o.textContent)).toEqual(["Today (since 00:00 UTC)", "Last 24 hours", "Last 48 hours", "Last 3 days"]);
  });

  it("draws warnings and errors on a track of their own, scaled to the problems", async () => {
    db.histogram = {
      bucket_seconds: 3600,
      // Two errors among 4 000 rows: on the main bars they would be invisible.
      buckets: [
        { start: "2026-12-02T02:00:00Z", counts: { scrape: 3000, error: 2 }, levels: { error: 2, warning: 1 } },
        { start: "2026-12-02T03:00:00Z", counts: { scrape: 1000 }, levels: { warning: 3 } },
      ],
    };
    const { user } = renderApp();
    const card = await loadedSection("Activity over time");
    const track = chartIn(card, /^Warnings and errors per hour/);
    expect(track).toHaveAccessibleName("Warnings and errors per hour, on their own scale, busiest 3: 2 errors, 4 warnings.");
    const problems = within(card).getByRole("list", { name: "Problems" });
    expect(within(problems).getByText("Errors: 2")).toBeInTheDocument();
    expect(within(problems).getByText("Warnings: 4")).toBeInTheDocument();
    await user.hover(track.querySelector('[data-bar="23"]')!);
    expect(tooltip(card, 1)).toBe("Tue 06:00 PM2 errors, 1 warning");
    // the track's top is 5 (a round number above the busiest 3): 32 px × 2/5 and × 1/5, stacked
    const bar = [...track.querySelectorAll("g")].at(-2)!.querySelectorAll("rect");
    expect([...bar].map((r) => Number(r.getAttribute("height")))).toEqual([12.8, 6.4]);
  });

  it("reads numbers and days in Spanish", async () => {
    db.histogram = { bucket_seconds: 86_400, buckets: [{ start: "2026-12-01T00:00:00Z", counts: { scrape: 10_840 }, levels: {} }] };
    db.config.retention_days = 30;
    const { user } = renderApp({ language: "es" });
    await loadedSection("Actividad en el tiempo");
    await user.selectOptions(screen.getByRole("combobox", { name: "Periodo" }), "Últimos 30 días");
    const card = section("Actividad en el tiempo");
    const chart = await within(card).findByRole("img", { name: /^Actividad por día/ });
    expect(chart).toHaveAccessibleName("Actividad por día, 31 barras, máximo 10.840 eventos: 10.840 scrape.");
    await user.hover(chart.querySelector('[data-bar="29"]')!);
    expect(tooltip(card)).toBe("1 dicScrape: 10.840");
  });

  it("explains an empty period", async () => {
    db.histogram = { bucket_seconds: 3600, buckets: [] };
    renderApp();
    const card = await loadedSection("Activity over time");
    expect(within(card).getByText(/No activity in this period — bars per type appear here/)).toBeInTheDocument();
    expect(within(card).queryByRole("img")).not.toBeInTheDocument();
  });

  it("shows a load error and recovers with Retry", async () => {
    server.use(http.get("*/api/v1/activity/histogram", () => HttpResponse.json({ detail: "Not Found" }, { status: 404 }), { once: true }));
    const { user } = renderApp();
    const card = section("Activity over time");
    expect(await within(card).findByText(/Not Found \(HTTP 404\)/)).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Retry loading the activity chart" }));
    expect(await within(card).findByRole("img", { name: /^Activity per/ })).toBeInTheDocument();
  });
});
