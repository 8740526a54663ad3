import { describe, expect, it } from "vitest";
import { formatAge, formatBucket, formatRatio, stateClass } from "./uptime";

describe("uptime helpers", () => {
  it("classes every state as the server does", () => {
    expect(["up", "ok", "connected"].map(stateClass)).toEqual(["up", "up", "up"]);
    expect(["down", "failing", "overdue", "connecting", "error"].map(stateClass)).toEqual(Array(5).fill("down"));
    expect(stateClass("paused")).toBe("paused");
    expect(stateClass("unknown")).toBe("unknown");
    expect(stateClass("unavailable")).toBe("unknown"); // WARP not in use
  });

  it("never rounds a ratio below 1 up to 100 %", () => {
    expect(formatRatio(1)).toBe("100 %");
    expect(formatRatio(0.99999)).toBe("99.99 %");
    expect(formatRatio(0.9862)).toBe("98.62 %");
    expect(formatRatio(0.5)).toBe("50 %");
    expect(formatRatio(null)).toBe("no data");
  });

  it("names a bucket by its UTC day, or day and hour", () => {
    expect(formatBucket("2026-12-02T00:00:00Z", false)).toBe("2 Dec");
    expect(formatBucket("2026-12-02T09:00:00Z", true)).toBe("2 Dec 09:00 UTC");
  });

  it("tells a state's age to the minute", () => {
    expect(formatAge(59)).toBe("under a minute");
    expect(formatAge(12 * 60 + 59)).toBe("12 min");
    expect(formatAge(2 * 3600 + 5 * 60)).toBe("2 h 5 min");
    expect(formatAge(3 * 86_400)).toBe("3 d");
    expect(formatAge(3 * 86_400 + 4 * 3600 + 59)).toBe("3 d 4 h");
  });
});
