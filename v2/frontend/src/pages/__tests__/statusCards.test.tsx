import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createActiveStreams, createWarpStatus } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, within } from "../../testing/test-utils";

describe("Now playing card: count and availability", () => {
  it("is busy with a skeleton while loading, then shows the count, state and source", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.get("*/api/v1/streams/active", async () => {
        await gate;
        return HttpResponse.json(db.streams);
      }),
    );
    renderApp();
    const card = section("Now playing");
    expect(card).toHaveAttribute("aria-busy", "true");
    expect(within(card).getByText("Loading active streams…")).toBeInTheDocument();

    release();
    await loadedSection("Now playing");
    expect(within(card).getByText("2", { selector: "p" })).toBeInTheDocument();
    expect(within(card).getByText("active streams")).toBeInTheDocument();
    expect(within(card).getByText("Up")).toBeInTheDocument();
    expect(within(card).getByText("acexy")).toBeInTheDocument();
    expect(within(card).getByRole("list", { name: "Playing streams" })).toBeInTheDocument();
    expect(within(card).getByText(/seconds ago|just now/)).toBeInTheDocument();
  });

  it("says unknown and down, with the error, when no peer answers", async () => {
    db.streams = createActiveStreams({ count: null, source: null, available: false, streams: [], total_clients: null, error: "acexy: connection refused" });
    renderApp();
    const card = await loadedSection("Now playing");
    expect(within(card).getByText("unknown", { selector: "p" })).toBeInTheDocument();
    expect(within(card).getByText("Down")).toBeInTheDocument();
    expect(within(card).getByText("acexy: connection refused")).toBeInTheDocument();
    expect(within(card).getByRole("alert")).toHaveClass("MuiAlert-colorError");
  });

  it("says Degraded in amber, not Up, and no 'no stream' sentence when acexy is down and the engine up", async () => {
    db.streams = createActiveStreams({
      count: null,
      source: "acestream",
      available: true,
      streams: [],
      total_clients: null,
      error: "acexy: connection refused; the AceStream engine is up but cannot count streams",
    });
    renderApp();
    const card = await loadedSection("Now playing");
    expect(within(card).getByText("Degraded").closest(".MuiChip-root")).toHaveClass("MuiChip-colorWarning");
    expect(within(card).queryByText("Up")).not.toBeInTheDocument();
    expect(within(card).getByText(/streams still play, though they cannot be counted/)).toBeInTheDocument();
    expect(within(card).getByRole("alert")).toHaveClass("MuiAlert-colorWarning");
    expect(within(card).queryByText(/No stream is playing/)).not.toBeInTheDocument();
  });

  it("says when acexy counts streams without listing them", async () => {
    db.streams = createActiveStreams({ count: 3, streams: [], total_clients: null });
    renderApp();
    const card = await loadedSection("Now playing");
    expect(within(card).getByText(/reports the count only, not the individual streams/)).toBeInTheDocument();
    expect(within(card).queryByText(/No stream is playing/)).not.toBeInTheDocument();
  });

  it("explains the empty state before the first check", async () => {
    db.streams = createActiveStreams({ count: 0, checked_at: null, streams: [] });
    renderApp();
    const card = await loadedSection("Now playing");
    expect(within(card).getByText(/not checked yet — the status check/i)).toBeInTheDocument();
  });

  it("shows the error with a Retry that works, without blanking the rest of the page", async () => {
    server.use(http.get("*/api/v1/streams/active", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 }), { once: true }));
    const { user } = renderApp();
    const card = section("Now playing");
    expect(await within(card).findByText(/The database is unavailable/)).toBeInTheDocument();
    expect(within(card).getByText("Could not load active streams")).toBeInTheDocument();
    const warp = await loadedSection("WARP");
    expect(within(warp).getByText("Connected")).toBeInTheDocument();

    await user.click(within(card).getByRole("button", { name: "Retry loading active streams" }));
    expect(await within(card).findByText("Up")).toBeInTheDocument();
    expect(within(card).queryByText(/The database is unavailable/)).not.toBeInTheDocument();
    // The failing first answer came from the one-off handler; the retry reached the fake backend.
    expect(requestsTo("/streams/active")).toHaveLength(1);
  });
});

describe("WARP card", () => {
  it("shows the state as text and icon with last connection and details", async () => {
    renderApp();
    const card = await loadedSection("WARP");
    expect(within(card).getByText("Connected")).toBeInTheDocument();
    expect(within(card).getByText("Network")).toBeInTheDocument();
    expect(within(card).getByText("healthy")).toBeInTheDocument();
    expect(within(card).getAllByText(/seconds ago|just now/)).toHaveLength(2);
  });

  it("shows an error state with its message", async () => {
    db.warp = createWarpStatus({ status: "error", error: "warp-svc is not running", last_connected: null });
    renderApp();
    const card = await loadedSection("WARP");
    expect(within(card).getByText("Error")).toBeInTheDocument();
    expect(within(card).getByText("warp-svc is not running")).toBeInTheDocument();
    expect(within(card).getByText("never")).toBeInTheDocument();
  });

  it("shows override and zero-width characters in outside text as escapes, in isolation", async () => {
    db.warp = createWarpStatus({ status: "error", error: "tunnel \u202Edaed\u202C down", details: { account: "free\u200B plan" } });
    renderApp();
    const card = await loadedSection("WARP");
    expect(within(card).getByText("free\\u200B plan")).toBeInTheDocument();
    const error = within(card).getByText("tunnel \\u202Edaed\\u202C down");
    expect(error.tagName).toBe("BDI");
    expect(card.textContent).not.toMatch(/[\u200B\u202C\u202E]/);
  });

  it("explains when WARP has not been checked yet", async () => {
    db.warp = createWarpStatus({ status: "unavailable", checked_at: null, last_connected: null, details: {} });
    renderApp();
    const card = await loadedSection("WARP");
    expect(within(card).getByText("Unavailable")).toBeInTheDocument();
    expect(within(card).getByText(/not checked yet — the WARP state/i)).toBeInTheDocument();
  });

  it("retries after an error", async () => {
    server.use(http.get("*/api/v1/warp/status", () => HttpResponse.error(), { once: true }));
    const { user } = renderApp();
    const card = section("WARP");
    expect(await within(card).findByText(/cannot reach the server/i)).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Retry loading WARP status" }));
    expect(await within(card).findByText("Connected")).toBeInTheDocument();
  });
});

describe("page shell", () => {
  it("links the playlist and names the page", async () => {
    renderApp();
    expect(screen.getByRole("heading", { level: 1, name: "AceStream scraper dashboard" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Playlist (M3U)" })).toHaveAttribute("href", "/playlist.m3u");
    await loadedSection("WARP");
    await delay(0);
  });
});
