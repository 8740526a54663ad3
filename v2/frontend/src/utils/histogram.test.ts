import { describe, expect, it } from "vitest";
import { fillBuckets, totalsByLevel, totalsByType } from "./histogram";

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
