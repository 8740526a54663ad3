import { getContrastRatio, type Palette, type Theme } from "@mui/material/styles";
import { describe, expect, it } from "vitest";
import { ACTIVITY_TYPES } from "./api/activity";
import { theme } from "./theme";

const SCHEMES = ["light", "dark"] as const;
const STATUS = ["primary", "success", "warning", "info", "error"] as const;
type Scheme = (typeof SCHEMES)[number];
// Typed by MUI only for themes with CSS variables; a theme without them holds it as well.
const { colorSchemes } = theme as Theme & { colorSchemes: Partial<Record<Scheme, { palette: Palette }>> };
const paletteOf = (scheme: Scheme) => {
  const palette = colorSchemes[scheme]?.palette;
  if (!palette) throw new Error(`the theme has no ${scheme} scheme`);
  return palette;
};

describe.each(SCHEMES)("theme contrast in %s (WCAG AA)", (scheme) => {
  const palette = paletteOf(scheme);

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

  it("the focus ring (primary) reaches 3:1 against paper and the page background", () => {
    expect(getContrastRatio(palette.primary.main, palette.background.paper)).toBeGreaterThanOrEqual(3);
    expect(getContrastRatio(palette.primary.main, palette.background.default)).toBeGreaterThanOrEqual(3);
  });
});
