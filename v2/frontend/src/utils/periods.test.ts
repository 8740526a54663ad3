import { describe, expect, it } from "vitest";
import { periodsWithin } from "./periods";

const OPTIONS = [0, 1, 2, 3, 7, 14, 30];

describe("periodsWithin", () => {
  it.each([
    [7, [0, 1, 2, 3, 7]],
    [5, [0, 1, 2, 3, 5]],
    [30, OPTIONS],
    [0, [0]],
  ])("retention %d → %j", (retention, expected) => {
    expect(periodsWithin(OPTIONS, retention)).toEqual(expected);
  });

  it("never offers less than the smallest option", () => {
    expect(periodsWithin([1, 7, 30], 0)).toEqual([1]);
  });

  it("offers everything while the retention is unknown", () => {
    expect(periodsWithin([1, 7, 30], undefined)).toEqual([1, 7, 30]);
  });
});
