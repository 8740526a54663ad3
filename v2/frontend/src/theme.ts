import { createTheme } from "@mui/material/styles";
import type { ActivityType } from "./api/activity";

declare module "@mui/material/styles" {
  interface Palette {
    activity: Record<ActivityType, string>;
  }
  interface PaletteOptions {
    activity?: Record<ActivityType, string>;
  }
}

/**
 * Status colours are darker than MUI's defaults so that text in `*.main` on paper, and white text on
 * a filled chip, both reach WCAG AA 4.5:1 (MUI's warning #ed6c02 is 3.1:1 on white); theme.test.ts checks it.
 */
export const theme = createTheme({
  palette: {
    mode: "light",
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
  shape: { borderRadius: 8 },
  typography: {
    h1: { fontSize: "1.5rem", fontWeight: 600 },
    h2: { fontSize: "1.125rem", fontWeight: 600 },
    h3: { fontSize: "1rem", fontWeight: 600 },
  },
  components: {
    MuiCard: { defaultProps: { variant: "outlined" } },
  },
});
