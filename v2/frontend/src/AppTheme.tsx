import CssBaseline from "@mui/material/CssBaseline";
import { ThemeProvider } from "@mui/material/styles";
import type { ReactNode } from "react";
import { COLOR_MODE_STORAGE_KEY, theme } from "./theme";

/**
 * The page's theme in the colour mode chosen in the header (kept in localStorage), else the system's.
 * `noSsr` reads that choice on the first render, so the page never paints in the other scheme first.
 */
export function AppTheme({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider theme={theme} modeStorageKey={COLOR_MODE_STORAGE_KEY} noSsr>
      <CssBaseline enableColorScheme />
      {children}
    </ThemeProvider>
  );
}
