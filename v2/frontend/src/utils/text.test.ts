import { describe, expect, it } from "vitest";
import { showInvisible } from "./text";

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
