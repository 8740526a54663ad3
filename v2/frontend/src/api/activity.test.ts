import { describe, expect, it } from "vitest";
import { createActivities } from "../testing/data-generators";
import { flattenActivityPages } from "./activity";

describe("flattenActivityPages", () => {
  it("keeps page order and the first copy of each id", () => {
    const [a, b, c] = createActivities(3);
    const items = flattenActivityPages([
      { items: [a!, b!], next_cursor: "x" },
      { items: [b!, c!], next_cursor: null },
    ]);
    expect(items?.map((item) => item.id)).toEqual([a!.id, b!.id, c!.id]);
  });

  it("is undefined before the first page", () => {
    expect(flattenActivityPages(undefined)).toBeUndefined();
  });
});
