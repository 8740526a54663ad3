import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createActiveStreams, createWarpStatus } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, within } from "../../testing/test-utils";

describe("Active streams card", () => {
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
    const card = section("Active streams");
    expect(card).toHaveAttribute("aria-busy", "true");
    expect(within(card).getByText("Loading active streams…")).toBeInTheDocument();

    release();
    await loadedSection("Active streams");
    expect(within(card).getByText("2", { selector: "p" })).toBeInTheDocument();
    expect(within(card).getByText("active streams")).toBeInTheDocument();
    expect(within(card).getByText("Up")).toBeInTheDocument();
    expect(within(card).getByText("acexy")).toBeInTheDocument();
    expect(within(card).getByRole("table", { name: "Playing streams" })).toBeInTheDocument();
    expect(within(card).getByText(/seconds ago|just now/)).toBeInTheDocument();
  });

  it("names our channel and who watches it, beside the stream", async () => {
    const id = "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f";
    db.streams = createActiveStreams({
      count: 1,
      total_clients: 2,
      streams: [
        {
          id,
          infohash: null,
          clients: 2,
          stalled: false,
          channel: { name: "Canal Deportes HD", group: "Sports", logo: null, tvg_id: null },
          viewers: [
            { address: "192.168.1.20", user_agent: "VLC/3.0.20 LibVLC/3.0.20", since: new Date().toISOString() },
            { address: "192.168.1.31", user_agent: "Kodi/21.0 (Linux; Android 12)", since: new Date().toISOString() },
          ],
        },
      ],
    });
    renderApp();
    const card = await loadedSection("Active streams");
    const table = within(card).getByRole("table", { name: "Playing streams" });
    expect(within(table).getByText("Canal Deportes HD")).toBeInTheDocument();
    expect(within(table).getByText(id)).toBeInTheDocument();
    expect(within(table).getByText("VLC on 192.168.1.20")).toBeInTheDocument();
    expect(within(table).getByText("Kodi on 192.168.1.31")).toBeInTheDocument();
  });

  it("shows the id alone, and no viewers, for a stream that is not one of ours", async () => {
    const id = "aa0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f";
    db.streams = createActiveStreams({
      count: 1,
      streams: [{ id, infohash: null, clients: 1, stalled: false, channel: null, viewers: [] }],
    });
    renderApp();
    const table = within(await loadedSection("Active streams")).getByRole("table", { name: "Playing streams" });
    expect(within(table).getByText(id)).toBeInTheDocument();
    expect(within(table).getByText("not through our playlist")).toBeInTheDocument();
  });

  it("says unknown and down, with the error, when no peer answers", async () => {
    db.streams = createActiveStreams({ count: null, source: null, available: false, streams: [], total_clients: null, error: "acexy: connection refused" });
    renderApp();
    const card = await loadedSection("Active streams");
    expect(within(card).getByText("unknown", { selector: "p" })).toBeInTheDocument();
    expect(within(card).getByText("Down")).toBeInTheDocument();
    expect(within(card).getByText("acexy: connection refused")).toBeInTheDocument();
  });

  it("says when acexy counts streams without listing them", async () => {
    db.streams = createActiveStreams({ count: 3, streams: [], total_clients: null });
    renderApp();
    const card = await loadedSection("Active streams");
    expect(within(card).getByText(/reports the count only, not the individual streams/)).toBeInTheDocument();
    expect(within(card).queryByText(/No stream is playing/)).not.toBeInTheDocument();
  });

  it("explains the empty state before the first check", async () => {
    db.streams = createActiveStreams({ count: 0, checked_at: null, streams: [] });
    renderApp();
    const card = await loadedSection("Active streams");
    expect(within(card).getByText(/not checked yet — the status check/i)).toBeInTheDocument();
  });

  it("shows the error with a Retry that works, without blanking the rest of the page", async () => {
    server.use(http.get("*/api/v1/streams/active", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 }), { once: true }));
    const { user } = renderApp();
    const card = section("Active streams");
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
