import { describe, expect, it } from "vitest";
import { shortId, showInvisible } from "./text";

describe("showInvisible", () => {
  it("shows a right-to-left override as an escape so the value reads as sent", () => {
    expect(showInvisible("Connected \u202Egnp.exe")).toBe("Connected \\u202Egnp.exe");
  });

  it.each([
    ["\u202A\u202B\u202C\u202D", "\\u202A\\u202B\\u202C\\u202D"],
    ["\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"],
    ["a\u200Bb\u200Cc\u200Dd\u200Ee\u200Ff", "a\\u200Bb\\u200Cc\\u200Dd\\u200Ee\\u200Ff"],
    ["\uFEFFword\u2060joiner", "\\uFEFFword\\u2060joiner"],
  ])("escapes %j", (raw, shown) => {
    expect(showInvisible(raw)).toBe(shown);
  });

  it("leaves other text, right-to-left letters included, untouched", () => {
    const text = "Canal 1 HD — قناة ١ — ערוץ 2 — 🎬";
    expect(showInvisible(text)).toBe(text);
  });
});

describe("shortId", () => {
  it("keeps the start and the end of a long id", () => {
    expect(shortId("3b0b9c7f1f4e0a6f5b9e6d0d2f8c1a4b5c6d7e8f")).toBe("3b0b9c7f…7e8f");
    expect(shortId("short")).toBe("short");
  });
});
