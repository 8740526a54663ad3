import { describe, expect, it } from "vitest";
import { createStreamHistory, createStreamSession } from "../testing/data-generators";
import { concurrencyBars, mostWatched } from "./streamHistory";

const NOW = Date.parse("2026-11-24T09:30:00Z");
const FROM = Date.parse("2026-11-17T00:00:00Z");
const channel = (name: string) => ({ name, group: null, logo: null, tvg_id: null });

describe("mostWatched", () => {
  it("sums watch time per channel, longest first, at most `limit`", () => {
    const sessions = [
      createStreamSession({ id: "a1", channel: channel("La 1 HD"), started_at: "2026-11-23T20:00:00Z", duration_seconds: 3600 }),
      createStreamSession({ id: "b1", channel: channel("DAZN F1"), started_at: "2026-11-23T18:00:00Z", duration_seconds: 5400 }),
      createStreamSession({ id: "a2", channel: channel("La 1 HD"), started_at: "2026-11-22T20:00:00Z", duration_seconds: 4320 }),
      createStreamSession({ id: "c1", channel: channel("Movistar"), started_at: "2026-11-21T20:00:00Z", duration_seconds: 60 }),
      createStreamSession({ id: "d1", channel: null, infohash: null, started_at: "2026-11-20T20:00:00Z", duration_seconds: 120 }),
    ];
    expect(mostWatched(sessions, FROM, 3)).toEqual([
      { name: "La 1 HD", id: "a1", seconds: 7920, sessions: 2 },
      { name: "DAZN F1", id: "b1", seconds: 5400, sessions: 1 },
      { name: null, id: "d1", seconds: 120, sessions: 1 },
    ]);
  });

  it("counts a session that began before the period from the period's start", () => {
    const session = createStreamSession({ started_at: "2026-11-16T23:00:00Z", duration_seconds: 7200 });
    expect(mostWatched([session], FROM)[0]?.seconds).toBe(3600);
    const over = createStreamSession({ started_at: "2026-11-16T20:00:00Z", duration_seconds: 3600 });
    expect(mostWatched([over], FROM)).toEqual([]);
  });

  it("breaks ties by name and keeps streams that are not ours apart by id", () => {
    const sessions = [
      createStreamSession({ id: "x", channel: null, duration_seconds: 600 }),
      createStreamSession({ id: "y", channel: null, duration_seconds: 600 }),
      createStreamSession({ id: "z", channel: channel("Alpha"), duration_seconds: 600 }),
    ];
    expect(mostWatched(sessions, FROM).map((c) => c.name ?? c.id)).toEqual(["Alpha", "x", "y"]);
  });
});

describe("concurrencyBars", () => {
  it("fills the hours nothing played with zero", () => {
    const history = createStreamHistory({ concurrent: [{ start: "2026-11-24T02:00:00Z", streams: 2, clients: 3 }] });
    const bars = concurrencyBars(history, 0, NOW);
    expect(bars).toHaveLength(10);
    expect(bars[2]).toEqual({ start: Date.parse("2026-11-24T02:00:00Z"), streams: 2, clients: 3 });
    expect(bars.filter((b) => b.streams === 0)).toHaveLength(9);
  });
});
