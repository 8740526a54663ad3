import { createTheme, type Theme, type ThemeOptions } from "@mui/material/styles";
import type { ActivityType } from "./api/activity";

declare module "@mui/material/styles" {
  interface Palette {
    activity: Record<ActivityType, string>;
  }
  interface PaletteOptions {
    activity?: Record<ActivityType, string>;
  }
}

/** Where the page keeps the colour mode chosen in the header ("light", "dark" or "system"). */
export const COLOR_MODE_STORAGE_KEY = "acestream.colorMode";
/**
 * The attribute on <html> that names the scheme in use (`data-color-scheme="dark"`): MUI sets it, and
 * index.html's first-paint shell (and its inline script, before any bundle arrives) use the same one.
 */
export const COLOR_SCHEME_ATTRIBUTE = "data-color-scheme";

// MUI sets this attribute for themes without CSS variables too, but types the option only for themes with them.
const schemeOnRoot = { colorSchemeSelector: COLOR_SCHEME_ATTRIBUTE } as ThemeOptions;

/**
 * A 2 px ring in the scheme's primary colour on whatever has keyboard focus and is not a MUI button
 * (inputs, selects, plain links and focusable regions); `focusVisible: true` below gives MUI's buttons,
 * chips, checkboxes and switches the same ring on their visible part (a checkbox's focused <input> is
 * invisible). `body` lifts the selector above MUI's own `outline: 0`.
 */
function focusRing(theme: Theme) {
  return {
    "body :focus-visible": {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  };
}

/**
 * Status colours are darker than MUI's defaults in light (MUI's warning #ed6c02 is 3.1:1 on white) and
 * lighter in dark, so that text in `*.main` on paper, and the contrast text on a filled chip, both reach
 * WCAG AA 4.5:1 in either scheme; chart colours reach 3:1 against paper. theme.test.ts checks both schemes.
 */
export const theme = createTheme({
  ...schemeOnRoot,
  colorSchemes: {
    light: {
      palette: {
        contrastThreshold: 4.5,
        primary: { main: "#1565c0" },
        secondary: { main: "#00695c" },
        success: { main: "#2e7d32" },
        warning: { main: "#b45309" },
        info: { main: "#01579b" },
        error: { main: "#c62828" },
        background: { default: "#f5f6f8", paper: "#ffffff" },
        activity: {
          scrape: "#1565c0",
          background_task: "#00796b",
          error: "#c62828",
          user_action: "#7b1fa2",
          system_event: "#6d4c41",
          stream: "#ad1457",
          notification: "#ef6c00",
        },
      },
    },
    dark: {
      palette: {
        contrastThreshold: 4.5,
        primary: { main: "#90caf9" },
        secondary: { main: "#80cbc4" },
        success: { main: "#81c784" },
        warning: { main: "#ffb74d" },
        info: { main: "#4fc3f7" },
        error: { main: "#ef9a9a" },
        background: { default: "#101317", paper: "#181c22" },
        activity: {
          scrape: "#90caf9",
          background_task: "#4db6ac",
          error: "#ef9a9a",
          user_action: "#ce93d8",
          system_event: "#bcaaa4",
          stream: "#f48fb1",
          notification: "#ffb74d",
        },
      },
    },
  },
  focusVisible: true,
  shape: { borderRadius: 8 },
  typography: {
    h1: { fontSize: "1.5rem", fontWeight: 600 },
    h2: { fontSize: "1.125rem", fontWeight: 600 },
    h3: { fontSize: "1rem", fontWeight: 600 },
  },
  components: {
    MuiCard: { defaultProps: { variant: "outlined" } },
    MuiCssBaseline: { styleOverrides: focusRing },
  },
});
