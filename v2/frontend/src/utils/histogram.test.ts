import { describe, expect, it } from "vitest";
import { fillBuckets, formatBucketStart, periodStart, timeTicks, totalsByLevel, totalsByType } from "./histogram";

const NOW = Date.parse("2026-11-24T09:30:00Z");

describe("fillBuckets", () => {
  it("fills hourly gaps from 00:00 UTC `days` ago up to the current hour", () => {
    const buckets = fillBuckets(
      {
        bucket_seconds: 3600,
        buckets: [
          { start: "2026-11-24T02:00:00Z", counts: { scrape: 3, error: 1 }, levels: { error: 1 } },
          { start: "2026-11-24T08:00:00+00:00", counts: { scrape: 1 }, levels: {} },
        ],
      },
      0,
      NOW,
    );
    expect(buckets).toHaveLength(10); // 00:00 … 09:00
    expect(new Date(buckets[0]!.start).toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(new Date(buckets[9]!.start).toISOString()).toBe("2026-11-24T09:00:00.000Z");
    expect(buckets[2]).toEqual({
      start: Date.parse("2026-11-24T02:00:00Z"),
      counts: { scrape: 3, error: 1 },
      total: 4,
      levels: { error: 1 },
      problems: 1,
    });
    expect(buckets[8]?.total).toBe(1);
    expect(buckets.filter((b) => b.total === 0)).toHaveLength(8);
  });

  it("uses daily buckets for longer periods", () => {
    const buckets = fillBuckets({ bucket_seconds: 86_400, buckets: [{ start: "2026-11-20T00:00:00Z", counts: { user_action: 2 }, levels: {} }] }, 7, NOW);
    expect(buckets).toHaveLength(8);
    expect(new Date(buckets[0]!.start).toISOString()).toBe("2026-11-17T00:00:00.000Z");
    expect(buckets[3]?.counts).toEqual({ user_action: 2 });
  });

  it("keeps a server bucket that is off the expected grid", () => {
    const buckets = fillBuckets({ bucket_seconds: 3600, buckets: [{ start: "2026-11-24T05:30:00Z", counts: { scrape: 1 }, levels: {} }] }, 0, NOW);
    expect(buckets).toHaveLength(11);
    expect(totalsByType(buckets)).toEqual({ scrape: 1 });
  });
});

describe("totalsByType", () => {
  it("sums each type over all buckets", () => {
    const buckets = fillBuckets(
      {
        bucket_seconds: 3600,
        buckets: [
          { start: "2026-11-24T01:00:00Z", counts: { scrape: 2 }, levels: { warning: 1 } },
          { start: "2026-11-24T02:00:00Z", counts: { scrape: 1, error: 4 }, levels: { warning: 1, error: 4 } },
        ],
      },
      0,
      NOW,
    );
    expect(totalsByType(buckets)).toEqual({ scrape: 3, error: 4 });
  });
});

describe("totalsByLevel", () => {
  it("sums warnings and errors over all buckets, zero when there are none", () => {
    const buckets = fillBuckets(
      {
        bucket_seconds: 3600,
        buckets: [
          { start: "2026-11-24T01:00:00Z", counts: { scrape: 2 }, levels: { warning: 2 } },
          { start: "2026-11-24T02:00:00Z", counts: { scrape: 9 }, levels: {} },
        ],
      },
      0,
      NOW,
    );
    expect(totalsByLevel(buckets)).toEqual({ error: 0, warning: 2 });
    expect(buckets.map((b) => b.problems)).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("periodStart", () => {
  it("is 00:00 UTC today for 0, else exactly days × 24 h back, as the server's window_start", () => {
    expect(new Date(periodStart(0, NOW)).toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(new Date(periodStart(1, NOW)).toISOString()).toBe("2026-11-23T09:30:00.000Z");
    expect(new Date(periodStart(7, NOW)).toISOString()).toBe("2026-11-17T09:30:00.000Z");
  });

  it("gives the last 24 hours 25 hourly bars, from the hour holding its start", () => {
    const buckets = fillBuckets({ bucket_seconds: 3600, buckets: [] }, 1, NOW);
    expect(buckets).toHaveLength(25);
    expect(new Date(buckets[0]!.start).toISOString()).toBe("2026-11-23T09:00:00.000Z");
  });
});

describe("formatBucketStart", () => {
  it("names a daily bucket by its UTC day whatever the viewer's zone", () => {
    expect(formatBucketStart(Date.parse("2026-12-01T00:00:00Z"), false, "en")).toBe("Dec 1");
    expect(formatBucketStart(Date.parse("2026-12-01T00:00:00Z"), false, "es")).toBe("1 dic");
  });
});

describe("timeTicks", () => {
  it("labels every other UTC day back from today's when there are too many for one each", () => {
    const days = Array.from({ length: 8 }, (_, i) => Date.parse("2026-11-17T00:00:00Z") + i * 86_400_000);
    expect(timeTicks(days, false, "en")).toEqual([
      { index: 1, label: "Nov 18" },
      { index: 3, label: "Nov 20" },
      { index: 5, label: "Nov 22" },
      { index: 7, label: "Nov 24" },
    ]);
  });

  it("labels one day each when they fit", () => {
    const days = Array.from({ length: 3 }, (_, i) => Date.parse("2026-11-22T00:00:00Z") + i * 86_400_000);
    expect(timeTicks(days, false, "en").map((tick) => tick.index)).toEqual([0, 1, 2]);
  });

  it("labels hours at most six times, at round local hours", () => {
    const hours = Array.from({ length: 25 }, (_, i) => Date.parse("2026-11-23T09:00:00Z") + i * 3_600_000);
    const ticks = timeTicks(hours, true, "en");
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const tick of ticks) expect(new Date(hours[tick.index]!).getHours() % 6).toBe(0);
  });
});
