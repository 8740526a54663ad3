import { describe, expect, it } from "vitest";
import { niceScale } from "./chartScale";

describe("niceScale", () => {
  it("puts round gridlines up to a round top at or above the busiest bar", () => {
    expect(niceScale(10_840)).toEqual({ top: 15_000, ticks: [0, 5_000, 10_000, 15_000] });
    expect(niceScale(43)).toEqual({ top: 60, ticks: [0, 20, 40, 60] });
    expect(niceScale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
  });

  it("never steps below 1 for counts", () => {
    expect(niceScale(4)).toEqual({ top: 4, ticks: [0, 1, 2, 3, 4] });
    expect(niceScale(2)).toEqual({ top: 2, ticks: [0, 1, 2] });
    expect(niceScale(0)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it("takes one step for a track: 0 and a round top", () => {
    expect(niceScale(3, 1)).toEqual({ top: 5, ticks: [0, 5] });
  });
});
