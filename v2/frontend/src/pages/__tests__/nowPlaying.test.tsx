import { fireEvent } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  createActiveStreams,
  createStream,
  createStreamHistory,
  createStreamSamples,
  createStreamSession,
  isoFromNow,
} from "../../testing/data-generators";
import { db, openStreamConnection, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

const ID = "3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f";
const OTHER = "aa0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f";
const channel = (name: string, logo: string | null = null) => ({ name, group: "Sports", logo, tvg_id: null });

function playing(...streams: ReturnType<typeof createStream>[]) {
  db.streams = createActiveStreams({ count: streams.length, streams });
}

/** Render the page and wait for its list of playing streams. */
async function playingList(render = true) {
  if (render) renderApp();
  return within(await loadedSection("Now playing")).getByRole("list", { name: "Playing streams" });
}

/** The list item of the stream headed `name`. */
function item(list: HTMLElement, name: string | RegExp): HTMLElement {
  const heading = within(list).getByRole("heading", { level: 3, name });
  const li = heading.closest("li");
  if (!li) throw new Error(`no item for ${String(name)}`);
  return li;
}

describe("Now playing", () => {
  it("shows a playing stream's channel, logo, start, viewers, peers and speeds, and Stalled in words", async () => {
    playing(
      createStream({
        id: ID,
        clients: 2,
        started_at: isoFromNow(-25 * 60),
        peers: 1234,
        speed_down_kbps: 812,
        speed_up_kbps: 1229,
        stalled: true,
        channel: channel("Canal Deportes HD", "https://logos.example/deportes.png"),
        viewers: [
          { address: "192.168.1.20", user_agent: "VLC/3.0.20 LibVLC/3.0.20", since: isoFromNow(-60) },
          { address: "192.168.1.31", user_agent: "Kodi/21.0 (Linux; Android 12)", since: isoFromNow(-30) },
        ],
      }),
      createStream({ id: OTHER, channel: channel("La 1 HD"), peers: 1, speed_down_kbps: 640, speed_up_kbps: 12 }),
    );
    const stream = item(await playingList(), "Canal Deportes HD");
    const details = within(stream);
    expect(details.getByRole("img", { name: "Canal Deportes HD logo" })).toHaveAttribute("src", "https://logos.example/deportes.png");
    expect(details.getByText("25 minutes ago")).toBeInTheDocument();
    expect(details.getByText("VLC on 192.168.1.20")).toBeInTheDocument();
    expect(details.getByText("Kodi on 192.168.1.31")).toBeInTheDocument();
    expect(details.getByText("2 clients, 1,234 peers")).toBeInTheDocument();
    expect(details.getByText("812 KB/s down, 1.2 MB/s up")).toBeInTheDocument();
    expect(details.getByText("Stalled")).toBeInTheDocument();

    const healthy = within(item(within(section("Now playing")).getByRole("list", { name: "Playing streams" }), "La 1 HD"));
    expect(healthy.getByText("640 KB/s down, 12 KB/s up")).toBeInTheDocument();
    expect(healthy.getByText("1 client, 1 peer")).toBeInTheDocument();
    expect(healthy.queryByText("Stalled")).not.toBeInTheDocument();
  });

  it("labels each sparkline with the range of the last hour's download speed", async () => {
    playing(createStream({ id: ID, channel: channel("Canal Deportes HD") }), createStream({ id: OTHER, channel: channel("La 1 HD") }));
    db.streamSamples = {
      [ID]: createStreamSamples(ID, [640, null, 900, 700]),
      [OTHER]: createStreamSamples(OTHER, [1100, 1800]),
    };
    const list = await playingList();
    expect(await within(item(list, "Canal Deportes HD")).findByRole("img", { name: "download speed, last hour: 640–900 KB/s" })).toBeInTheDocument();
    expect(within(item(list, "La 1 HD")).getByRole("img", { name: "download speed, last hour: 1.1–1.8 MB/s" })).toBeInTheDocument();
    expect(requestsTo(`/streams/${ID}/samples`)[0]?.params.get("hours")).toBe("1");
  });

  it("says so when a stream has no samples, without failing the list", async () => {
    playing(createStream({ id: ID, channel: channel("Canal Deportes HD"), peers: null }));
    db.streamSamples = {};
    const stream = within(item(await playingList(), "Canal Deportes HD"));
    expect(await stream.findByText("no speed history kept")).toBeInTheDocument();
    expect(stream.getByText("1 client, peers not read yet")).toBeInTheDocument();
    expect(stream.getByText("not read yet")).toBeInTheDocument();
  });

  it("names a stream that is not ours by its shortened id, keyboard-focusable, the full id in its tooltip", async () => {
    playing(createStream({ id: OTHER, channel: null }));
    const { user } = renderApp();
    const list = await playingList(false);
    expect(within(list).queryByText(OTHER)).not.toBeInTheDocument();
    expect(within(list).getByText("not through our playlist")).toBeInTheDocument();
    const short = within(list).getByText("aa0b9c7f…7e8f");
    while (document.activeElement !== short) await user.tab();
    await user.hover(short);
    expect(await screen.findByRole("tooltip")).toHaveTextContent(OTHER);
  });

  it("drops a logo that fails to load and keeps the name", async () => {
    playing(createStream({ id: ID, channel: channel("Canal Deportes HD", "https://logos.example/gone.png") }));
    const stream = item(await playingList(), "Canal Deportes HD");
    fireEvent.error(within(stream).getByRole("img", { name: "Canal Deportes HD logo" }));
    expect(within(stream).queryByRole("img", { name: /logo/ })).not.toBeInTheDocument();
    expect(within(stream).getByRole("heading", { name: "Canal Deportes HD" })).toBeInTheDocument();
  });
});

describe("Streams over time", () => {
  it("ranks the most watched channels of the period by watch time, top five", async () => {
    const session = (name: string, minutes: number, hoursAgo: number) =>
      createStreamSession({ channel: channel(name), started_at: isoFromNow(-hoursAgo * 3600), duration_seconds: minutes * 60 });
    db.streamHistory = createStreamHistory({
      bucket_seconds: 86_400,
      sessions: [
        session("La 1 HD", 100, 2),
        session("DAZN F1", 30, 3),
        session("La 1 HD", 92, 5),
        session("Movistar Liga", 150, 6),
        session("Eurosport 1", 20, 7),
        session("Canal Deportes HD", 40, 8),
        session("Teledeporte", 10, 9),
      ],
      concurrent: [{ start: new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString(), streams: 2, clients: 3 }],
    });
    renderApp();
    const card = await loadedSection("Streams over time");
    const ranking = within(card).getByRole("list", { name: "Most watched" });
    expect(within(ranking).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "La 1 HD — 3 h 12 min (2 sessions)",
      "Movistar Liga — 2 h 30 min (1 session)",
      "Canal Deportes HD — 40 min (1 session)",
      "DAZN F1 — 30 min (1 session)",
      "Eurosport 1 — 20 min (1 session)",
    ]);
    expect(within(card).getByRole("img", { name: /^Concurrent streams per day, 8 bars: at most 2 at once; something played in 1 of them\.$/ })).toBeInTheDocument();
    expect(requestsTo("/streams/history")[0]?.params.get("days")).toBe("7");
  });

  it("asks for the period chosen", async () => {
    db.config.retention_days = 30; // no period longer than the retention is offered
    const { user } = renderApp();
    const card = await loadedSection("Streams over time");
    await user.selectOptions(within(card).getByRole("combobox", { name: "Stream period" }), "30");
    await waitFor(() => expect(requestsTo("/streams/history").at(-1)?.params.get("days")).toBe("30"));
    expect(await within(card).findByText(/^Nothing has played in the last 30 days/)).toBeInTheDocument();
  });

  it("says when nothing has played in the period", async () => {
    renderApp();
    const card = await loadedSection("Streams over time");
    expect(within(card).getByText(/^Nothing has played in the last 7 days/)).toBeInTheDocument();
    expect(within(card).queryByRole("list", { name: "Most watched" })).not.toBeInTheDocument();
  });

  it("shows an error with a Retry that works", async () => {
    server.use(http.get("*/api/v1/streams/history", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 }), { once: true }));
    db.streamHistory = createStreamHistory({ sessions: [createStreamSession({ channel: channel("La 1 HD"), started_at: isoFromNow(-3600), duration_seconds: 600 })] });
    const { user } = renderApp();
    const card = section("Streams over time");
    expect(await within(card).findByText("Could not load the stream history")).toBeInTheDocument();
    expect(within(card).getByText(/The database is unavailable \(HTTP 503\)/)).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Retry loading the stream history" }));
    expect(await within(card).findByRole("list", { name: "Most watched" })).toHaveTextContent("La 1 HD — 10 min (1 session)");
  });

  it("refetches the history and the sparklines when the live stream says streams changed", async () => {
    db.streamAccepting = true;
    renderApp();
    await loadedSection("Streams over time");
    await waitFor(() => expect(screen.getByRole("status", { name: "Live updates" })).toHaveTextContent(/^Live$/));
    const samples = `/streams/${ID}/samples`;
    await waitFor(() => expect(requestsTo(samples).length).toBeGreaterThan(0));
    const before = [requestsTo("/streams/history").length, requestsTo(samples).length];
    openStreamConnection()?.sendStatus({ changed: ["streams"] });
    await waitFor(() => expect(requestsTo("/streams/history").length).toBe((before[0] ?? 0) + 1));
    await waitFor(() => expect(requestsTo(samples).length).toBe((before[1] ?? 0) + 1));
  });
});
