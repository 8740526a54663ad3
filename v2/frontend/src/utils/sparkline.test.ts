import { describe, expect, it } from "vitest";
import { createStreamSample } from "../testing/data-generators";
import { sparklinePath, speedPoints, speedRange } from "./sparkline";

const at = (minute: number) => `2026-11-24T09:${String(minute).padStart(2, "0")}:00Z`;

describe("speedPoints", () => {
  it("keeps the samples with a download speed, in order", () => {
    const points = speedPoints([
      createStreamSample({ at: at(0), speed_down_kbps: null }),
      createStreamSample({ at: at(1), speed_down_kbps: 640 }),
      createStreamSample({ at: at(2), speed_down_kbps: 900 }),
    ]);
    expect(points).toEqual([
      { at: Date.parse(at(1)), kbps: 640 },
      { at: Date.parse(at(2)), kbps: 900 },
    ]);
  });
});

describe("speedRange", () => {
  it("gives the range over the window", () => {
    const points = [
      { at: 1, kbps: 900 },
      { at: 2, kbps: 640 },
      { at: 3, kbps: 700 },
    ];
    expect(speedRange(points, "en")).toBe("640–900 KB/s");
    expect(speedRange(points, "es")).toBe("640–900 KB/s");
  });

  it("says when nothing was recorded", () => {
    expect(speedRange([], "en")).toBeNull();
  });
});

describe("sparklinePath", () => {
  it("spreads points over time and scales speed to the fastest", () => {
    const path = sparklinePath(
      [
        { at: 0, kbps: 0 },
        { at: 30, kbps: 500 },
        { at: 120, kbps: 1000 },
      ],
      120,
      22,
    );
    expect(path).toBe("0,21 30,11 120,1");
  });

  it("draws one point as a flat line and none as nothing", () => {
    expect(sparklinePath([{ at: 5, kbps: 800 }], 120, 22)).toBe("0,1 120,1");
    expect(sparklinePath([], 120, 22)).toBe("");
  });
});
