import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createHistogram } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

describe("Activity chart", () => {
  it("is busy while loading", () => {
    server.use(http.get("*/api/v1/activity/histogram", () => new Promise<Response>(() => undefined)));
    renderApp();
    const card = section("Activity over time");
    expect(card).toHaveAttribute("aria-busy", "true");
    expect(within(card).getByText("Loading the activity chart…")).toBeInTheDocument();
  });

  it("draws stacked bars per bucket, gaps filled, with totals by type as text", async () => {
    const hour = 3_600_000;
    const current = Math.floor(Date.now() / hour) * hour;
    db.histogram = {
      bucket_seconds: 3600,
      // Two hours apart: the hour in between is missing and must still get a bar.
      buckets: [
        { start: new Date(current - 2 * hour).toISOString(), counts: { scrape: 3, error: 1 }, levels: { error: 1 } },
        { start: new Date(current).toISOString(), counts: { scrape: 1, background_task: 2 }, levels: {} },
      ],
    };
    renderApp();
    const card = await loadedSection("Activity over time");
    const chart = within(card).getByRole("img", { name: /^Activity per/ });
    expect(chart).toHaveAccessibleName(/^Activity per hour, \d+ bars, busiest 4 events: 4 scrape, 2 background task, 1 error\.$/);
    const totals = within(card).getByRole("list", { name: "Totals by type" });
    expect(within(totals).getByText("Scrape: 4")).toBeInTheDocument();
    expect(within(totals).getByText("Error: 1")).toBeInTheDocument();
    expect(within(totals).getByText("User action: 0")).toBeInTheDocument();
    // since 00:00 UTC yesterday (the default period) up to this hour, one group per hour
    const expected = (current - (Math.floor(Date.now() / 86_400_000) - 1) * 86_400_000) / hour + 1;
    expect(chart.querySelectorAll("g")).toHaveLength(expected);
    const titles = [...chart.querySelectorAll("title")].map((t) => t.textContent);
    expect(titles.filter((t) => t.endsWith(": no activity"))).toHaveLength(expected - 2);
    expect(titles.at(-1)).toMatch(/1 scrape, 2 background task$/);
  });

  it("draws warnings and errors on a track of their own, scaled to the problems, with totals as text", async () => {
    const hour = 3_600_000;
    const current = Math.floor(Date.now() / hour) * hour;
    db.histogram = {
      bucket_seconds: 3600,
      // Two errors among 4 000 rows: on the main bars they would be invisible.
      buckets: [
        { start: new Date(current - hour).toISOString(), counts: { scrape: 3000, error: 2 }, levels: { error: 2, warning: 1 } },
        { start: new Date(current).toISOString(), counts: { scrape: 1000 }, levels: { warning: 3 } },
      ],
    };
    renderApp();
    const card = await loadedSection("Activity over time");
    const track = within(card).getByRole("img", { name: /^Warnings and errors per hour/ });
    expect(track).toHaveAccessibleName("Warnings and errors per hour, on their own scale, busiest 3: 2 errors, 4 warnings.");
    const problems = within(card).getByRole("list", { name: "Problems" });
    expect(within(problems).getByText("Errors: 2")).toBeInTheDocument();
    expect(within(problems).getByText("Warnings: 4")).toBeInTheDocument();
    const titles = [...track.querySelectorAll("title")].map((t) => t.textContent);
    expect(titles.at(-2)).toMatch(/: 2 errors, 1 warnings$/);
    expect(titles.at(-1)).toMatch(/: 3 warnings$/);
    // the busiest bucket of problems fills the track (32 px less 2), errors and warnings stacked
    const heights = [...track.querySelectorAll("g")].at(-2)!.querySelectorAll("rect[fill]:not([fill=transparent])");
    expect([...heights].map((r) => Number(r.getAttribute("height")))).toEqual([20, 10]);
  });

  it("follows the period selector", async () => {
    db.histogram = createHistogram(3, { bucket_seconds: 86_400, buckets: [{ start: new Date().toISOString().slice(0, 10) + "T00:00:00Z", counts: { scrape: 5 }, levels: {} }] });
    const { user } = renderApp();
    await loadedSection("Activity over time");
    await user.selectOptions(screen.getByRole("combobox", { name: "Period" }), "Last 30 days");
    await waitFor(() => expect(requestsTo("/activity/histogram").at(-1)?.params.get("days")).toBe("30"));
    const chart = within(section("Activity over time")).getByRole("img", { name: /^Activity per/ });
    await waitFor(() => expect(chart.querySelectorAll("g")).toHaveLength(31));
    expect(chart).toHaveAccessibleName(/^Activity per day/);
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
