import { getContrastRatio } from "@mui/material/styles";
import { describe, expect, it } from "vitest";
import { ACTIVITY_TYPES } from "./api/activity";
import { theme } from "./theme";

const { palette } = theme;
const STATUS = ["primary", "success", "warning", "info", "error"] as const;

describe("theme contrast (WCAG AA)", () => {
  it.each(STATUS)("%s text reaches 4.5:1 on paper and on the page background, and on its filled chip", (name) => {
    const colour = palette[name];
    expect(getContrastRatio(colour.main, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
    expect(getContrastRatio(colour.main, palette.background.default)).toBeGreaterThanOrEqual(4.5);
    expect(getContrastRatio(colour.contrastText, colour.main)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(ACTIVITY_TYPES)("the %s chart colour reaches 3:1 against paper", (type) => {
    expect(getContrastRatio(palette.activity[type], palette.background.paper)).toBeGreaterThanOrEqual(3);
  });

  it("secondary text reaches 4.5:1", () => {
    expect(getContrastRatio(palette.text.secondary, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
  });
});
