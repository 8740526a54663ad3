import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { faviconHref } from "../../hooks/useTabStatus";
import { createActiveStreams, createTask, TASK_NAMES } from "../../testing/data-generators";
import { db } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";
import { theme } from "../../theme";

function failingPlaylistAndAcexyDown() {
  db.tasks = TASK_NAMES.map((task_name) =>
    task_name === "playlist_generation"
      ? createTask({ task_name, status: "error", last_error: "Disk full", failure_count: 3 })
      : createTask({ task_name }),
  );
  db.streams = createActiveStreams({
    source: "acestream",
    available: true,
    count: null,
    streams: [],
    total_clients: null,
    error: "acexy: connection refused; the AceStream engine is up but cannot count streams",
  });
}

const favicon = () => document.querySelector<HTMLLinkElement>('link[rel~="icon"]')?.getAttribute("href");

describe("Status at a glance", () => {
  it("says All good, with a plain tab title and a green icon, when nothing is wrong", async () => {
    renderApp();
    const summary = section("Status at a glance");
    expect(await within(summary).findByRole("heading", { name: "All good" })).toBeInTheDocument();
    expect(document.title).toBe("AceStream dashboard");
    expect(favicon()).toBe(faviconHref(theme.palette.success.main));
  });

  it("names a failing task and acexy down, failures first, in the summary, the tab title and the icon", async () => {
    failingPlaylistAndAcexyDown();
    renderApp();
    const summary = section("Status at a glance");
    expect(await within(summary).findByRole("heading", { name: "2 problems" })).toBeInTheDocument();
    const links = within(within(summary).getByRole("list", { name: "Problems" })).getAllByRole("link");
    expect(links.map((link) => link.textContent)).toEqual(["playlist_generation failing", "acexy down (engine up)"]);
    expect(links.map((link) => link.getAttribute("href"))).toEqual(["#background-tasks", "#active-streams"]);
    expect(document.title).toBe("(2) ⚠ AceStream dashboard");
    expect(favicon()).toBe(faviconHref(theme.palette.error.main));
  });

  it("moves focus to the problem's section when its link is followed", async () => {
    failingPlaylistAndAcexyDown();
    const { user } = renderApp();
    await loadedSection("Now playing");
    await user.click(await screen.findByRole("link", { name: "acexy down (engine up)" }));
    expect(section("Now playing")).toHaveFocus();
  });

  it("counts a partial run as a warning, amber, not a failure", async () => {
    db.tasks = [createTask({ task_name: "scrape", degraded: true, warnings: ["http://lists.example/a.m3u (HTTP 404)"] })];
    renderApp();
    const summary = section("Status at a glance");
    expect(await within(summary).findByRole("heading", { name: "1 problem" })).toBeInTheDocument();
    expect(within(summary).getByRole("link", { name: "scrape partly failed" })).toBeInTheDocument();
    await waitFor(() => expect(favicon()).toBe(faviconHref(theme.palette.warning.main)));
  });

  it("says Checking… rather than All good while a source has not answered", async () => {
    server.use(http.get("*/api/v1/warp/status", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 })));
    renderApp();
    await loadedSection("Background tasks");
    await within(section("WARP")).findByText("Could not load WARP status");
    expect(within(section("Status at a glance")).getByRole("heading", { name: "Checking…" })).toBeInTheDocument();
  });

  it("speaks Spanish", async () => {
    failingPlaylistAndAcexyDown();
    renderApp({ language: "es" });
    const summary = section("Estado de un vistazo");
    expect(await within(summary).findByRole("heading", { name: "2 problemas" })).toBeInTheDocument();
    expect(within(summary).getByRole("link", { name: "playlist_generation falla" })).toBeInTheDocument();
    expect(document.title).toBe("(2) ⚠ Panel de AceStream");
  });
});
