import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import type { ReactNode } from "react";
import { formatCount } from "../utils/units";

export interface BarChartFrameProps {
  /** Drawing height in pixels; the bars use the same units. */
  height: number;
  /** The top of the scale, shown as the y axis label. */
  max: number;
  /** Bars side by side, each `BAR_WIDTH` wide in the drawing's units. */
  columns: number;
  /** What the chart shows, as text: the SVG's accessible name. */
  summary: string;
  /** The first and last bucket's labels under the axis. */
  firstLabel: string | null;
  lastLabel: string | null;
  /** The bars, drawn in `0 … columns × BAR_WIDTH` by `0 … height`. */
  children: ReactNode;
}

/** Each column's width in the drawing; the SVG stretches to the card's width. */
export const BAR_WIDTH = 10;

/**
 * The axes and the SVG that the bar charts over a period draw in: 0 and `max` up the side, the first
 * and last bucket along the bottom, and the summary as the image's name for screen readers.
 */
export function BarChartFrame({ height, max, columns, summary, firstLabel, lastLabel, children }: BarChartFrameProps) {
  const width = Math.max(columns, 1) * BAR_WIDTH;
  return (
    <Box>
      <Stack direction="row" sx={{ gap: 1 }}>
        <Stack sx={{ justifyContent: "space-between", height, typography: "caption", color: "text.secondary", textAlign: "right" }} aria-hidden>
          <span>{formatCount(max)}</span>
          <span>0</span>
        </Stack>
        <Box sx={{ flex: 1, minWidth: 0, borderLeft: 1, borderBottom: 1, borderColor: "divider" }}>
          <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" width="100%" height={height}>
            {children}
          </svg>
        </Box>
      </Stack>
      {firstLabel !== null && lastLabel !== null && (
        <Stack direction="row" sx={{ justifyContent: "space-between", typography: "caption", color: "text.secondary", pl: 3 }} aria-hidden>
          <span>{firstLabel}</span>
          <span>{lastLabel}</span>
        </Stack>
      )}
    </Box>
  );
}
