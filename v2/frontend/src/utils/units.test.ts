import { describe, expect, it } from "vitest";
import { formatCount, formatSpeed, formatSpeedRange } from "./units";

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(formatCount(7, "en")).toBe("7");
    expect(formatCount(12345, "en")).toBe("12,345");
  });
});

describe("formatSpeed", () => {
  it.each([
    [0, "0 KB/s"],
    [812, "812 KB/s"],
    [812.6, "813 KB/s"],
    [1023, "1,023 KB/s"],
    [1024, "1.0 MB/s"],
    [1229, "1.2 MB/s"],
    [20_480, "20.0 MB/s"],
  ])("%d KB/s → %s", (kbps, text) => {
    expect(formatSpeed(kbps, "en")).toBe(text);
  });
});

describe("formatSpeedRange", () => {
  it("writes both ends in the unit of the larger", () => {
    expect(formatSpeedRange(640, 900, "en")).toBe("640–900 KB/s");
    expect(formatSpeedRange(512, 1229, "en")).toBe("0.5–1.2 MB/s");
  });

  it("reads a flat line as one speed", () => {
    expect(formatSpeedRange(800, 800, "en")).toBe("800 KB/s");
  });
});

describe("in the page's language", () => {
  it("groups and separates as Spanish does", () => {
    expect(formatCount(12345, "es")).toBe("12.345");
    expect(formatSpeed(1229, "es")).toBe("1,2 MB/s");
    expect(formatSpeedRange(512, 1229, "es")).toBe("0,5–1,2 MB/s");
  });
});
