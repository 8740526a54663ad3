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
        { start: new Date(current - 2 * hour).toISOString(), counts: { scrape: 3, error: 1 } },
        { start: new Date(current).toISOString(), counts: { scrape: 1, background_task: 2 } },
      ],
    };
    renderApp();
    const card = await loadedSection("Activity over time");
    const chart = within(card).getByRole("img");
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

  it("follows the period selector", async () => {
    db.histogram = createHistogram(3, { bucket_seconds: 86_400, buckets: [{ start: new Date().toISOString().slice(0, 10) + "T00:00:00Z", counts: { scrape: 5 } }] });
    const { user } = renderApp();
    await loadedSection("Activity over time");
    await user.selectOptions(screen.getByRole("combobox", { name: "Period" }), "Last 30 days");
    await waitFor(() => expect(requestsTo("/activity/histogram").at(-1)?.params.get("days")).toBe("30"));
    const chart = within(section("Activity over time")).getByRole("img");
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
    expect(await within(card).findByRole("img")).toBeInTheDocument();
  });
});
