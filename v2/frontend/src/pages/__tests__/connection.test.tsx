import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

const SECTIONS = ["Now playing", "WARP", "Background tasks", "Activity log"];

function stopService() {
  server.use(http.all("*/api/v1/*", () => HttpResponse.error()));
}

describe("Connection lost", () => {
  it("says so once for the page, greys the sections' last data, marks the update time stale, and recovers", async () => {
    const { user } = renderApp();
    for (const name of SECTIONS) await loadedSection(name);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    stopService();
    await user.click(screen.getByRole("button", { name: "Refresh now" }));
    const banner = await screen.findByRole("alert");
    expect(banner).toHaveTextContent(/^Connection lost since \d{1,2}:\d{2}:\d{2}/);
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    expect(screen.queryByText(/Could not (refresh|load)/)).not.toBeInTheDocument();
    // Each section says so when it renders again with the failed query (deferred: useDeferredQuery).
    for (const name of SECTIONS) {
      expect(await within(section(name)).findByText(/^Out of date:/)).toBeInTheDocument();
    }
    // The last data still shows, greyed.
    expect(within(section("Background tasks")).getByRole("heading", { name: "scrape" })).toBeInTheDocument();
    expect(screen.getByText(/^Out of date — last data/)).toBeInTheDocument();

    server.resetHandlers();
    await user.click(within(banner).getByRole("button", { name: "Retry now" }));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
    expect(within(section("Background tasks")).queryByText(/^Out of date:/)).not.toBeInTheDocument();
    expect(screen.getByText(/^Updated/)).toBeInTheDocument();
  });

  it("shows one banner, not an error per section, when the service is down from the start", async () => {
    stopService();
    renderApp();
    const banner = await screen.findByRole("alert");
    await waitFor(() => expect(banner).toHaveTextContent(/^Cannot reach the service/));
    await waitFor(() => expect(within(section("Background tasks")).getByText(/^Waiting for the connection/)).toBeInTheDocument());
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    expect(screen.queryByText(/Could not (refresh|load)/)).not.toBeInTheDocument();
  });

  it("keeps a section's own error (a 503 from the service) in the section", async () => {
    server.use(http.get("*/api/v1/warp/status", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 })));
    renderApp();
    await loadedSection("Background tasks");
    expect(await within(section("WARP")).findByText("Could not load WARP status")).toBeInTheDocument();
    expect(screen.queryByText(/Connection lost|Cannot reach the service/)).not.toBeInTheDocument();
  });
});
