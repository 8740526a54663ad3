import { describe, expect, it } from "vitest";
import { formatAge, formatBucket, formatPercent, stateClass } from "./uptime";

describe("uptime helpers", () => {
  it("classes every state as the server does", () => {
    expect(["up", "ok", "connected", "playing"].map(stateClass)).toEqual(["up", "up", "up", "up"]);
    expect(["down", "failing", "overdue", "connecting", "error", "stalled"].map(stateClass)).toEqual(Array(6).fill("down"));
    expect(stateClass("paused")).toBe("paused");
    expect(stateClass("ended")).toBe("paused"); // a stream that ended is no outage
    expect(stateClass("unknown")).toBe("unknown");
    expect(stateClass("unavailable")).toBe("unknown"); // WARP not in use
  });

  it("never rounds a ratio below 1 up to 100 %, in the page's language", () => {
    expect(formatPercent(1, "en")).toBe("100 %");
    expect(formatPercent(0.99999, "en")).toBe("99.99 %");
    expect(formatPercent(0.9862, "en")).toBe("98.62 %");
    expect(formatPercent(0.5, "en")).toBe("50 %");
    expect(formatPercent(0.9862, "es")).toBe("98,62 %");
  });

  it("names a bucket by its UTC day, or day and hour", () => {
    expect(formatBucket("2026-12-02T00:00:00Z", false, "en")).toBe("2 Dec");
    expect(formatBucket("2026-12-02T09:00:00Z", true, "en")).toBe("2 Dec 09:00 UTC");
    expect(formatBucket("2026-12-02T00:00:00Z", false, "es")).toBe("2 dic");
  });

  it("tells a state's age to the minute", () => {
    expect(formatAge(59, "under a minute")).toBe("under a minute");
    expect(formatAge(12 * 60 + 59, "")).toBe("12 min");
    expect(formatAge(2 * 3600 + 5 * 60, "")).toBe("2 h 5 min");
    expect(formatAge(3 * 86_400, "")).toBe("3 d");
    expect(formatAge(3 * 86_400 + 4 * 3600 + 59, "")).toBe("3 d 4 h");
  });
});
