import { describe, expect, it } from "vitest";
import { formatClock, formatDuration, formatExact, formatRelative } from "./time";

const NOW = Date.parse("2026-11-24T09:00:00Z");

describe("formatRelative", () => {
  it.each([
    ["2026-11-24T09:00:05Z", "just now"],
    ["2026-11-24T08:59:30Z", "30 seconds ago"],
    ["2026-11-24T08:55:00Z", "5 minutes ago"],
    ["2026-11-24T07:00:00Z", "2 hours ago"],
    ["2026-11-22T09:00:00Z", "2 days ago"],
    ["2026-11-24T10:00:00Z", "in 1 hour"],
  ])("%s → %s", (iso, text) => {
    expect(formatRelative(iso, NOW)).toBe(text);
  });

  it("reads a past instant slightly ahead of the clock as just now", () => {
    expect(formatRelative("2026-11-24T09:00:14Z", NOW, true)).toBe("just now");
    expect(formatRelative("2026-11-24T09:00:14Z", NOW)).toBe("in 14 seconds");
  });
});

describe("formatDuration", () => {
  it.each([
    [0.42, "0.4 s"],
    [4.2, "4.2 s"],
    [42, "42 s"],
    [60, "1 min"],
    [75, "1 min 15 s"],
    [3600, "1 h"],
    [3720, "1 h 2 min"],
  ])("%s s → %s", (seconds, text) => {
    expect(formatDuration(seconds, "en")).toBe(text);
  });
});

describe("formatExact", () => {
  it("adds the UTC instant the server sent", () => {
    expect(formatExact("2026-11-24T08:42:24Z", "en")).toMatch(/\(2026-11-24T08:42:24Z\)$/);
  });
});

describe("in the page's language", () => {
  it("says relative times, durations and dates in Spanish", () => {
    const words = { justNow: "justo ahora", unknown: "desconocido" };
    expect(formatRelative("2026-11-24T08:55:00Z", NOW, false, "es", words)).toBe("hace 5 minutos");
    expect(formatRelative("2026-11-24T09:00:05Z", NOW, false, "es", words)).toBe("justo ahora");
    expect(formatRelative("not a date", NOW, false, "es", words)).toBe("desconocido");
    expect(formatDuration(0.42, "es")).toBe("0,4 s");
    expect(formatExact("2026-11-24T08:42:24Z", "es")).toMatch(/nov 2026.*\(2026-11-24T08:42:24Z\)$/);
    expect(formatClock(NOW, "es")).toMatch(/^\d{2}:00:00$/);
  });
});
