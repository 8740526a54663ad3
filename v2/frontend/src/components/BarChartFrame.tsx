import Box from "@mui/material/Box";
import Paper from "@mui/material/Paper";
import { useTheme } from "@mui/material/styles";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useRovingIndex } from "../hooks/useRovingIndex";
import { useLocale } from "../i18n/useLocale";
import type { ChartScale } from "../utils/chartScale";
import type { AxisTick } from "../utils/histogram";
import { formatCount } from "../utils/units";

export interface BarChartFrameProps {
  /** Drawing height in pixels; the bars use the same units. */
  height: number;
  /** The value axis: its top is the drawing's top; a gridline per tick. */
  scale: ChartScale;
  /** Bars side by side, each `BAR_WIDTH` wide in the drawing's units. */
  columns: number;
  /** What the chart shows, as text: the SVG's accessible name. */
  summary: string;
  /** Labels under the bars; none for a track under another chart. */
  xTicks?: AxisTick[];
  /** A line under the labels, e.g. that days are UTC days. */
  note?: string;
  /** Width of the value labels' column, in characters, so charts stacked together line up. */
  axisChars: number;
  /** What one bar holds, shown in the tooltip on hover, tap or keyboard focus. */
  describe: (index: number) => ReactNode;
  /** The bars, drawn in `0 … columns × BAR_WIDTH` by `0 … height`. */
  children: ReactNode;
}

/** Each column's width in the drawing; the SVG stretches to the card's width. */
export const BAR_WIDTH = 10;

/** The characters the widest value label of `scale` takes, for `axisChars`. */
export function axisCharsFor(scale: ChartScale, locale: string): number {
  return Math.max(...scale.ticks.map((value) => formatCount(value, locale).length));
}

function tooltipPlacement(index: number, columns: number) {
  const centre = ((index + 0.5) / columns) * 100;
  // Near an edge the tooltip hangs inwards instead of being cut off by the card.
  const shift = centre < 20 ? "0%" : centre > 80 ? "-100%" : "-50%";
  return { left: `${centre}%`, transform: `translateX(${shift})` };
}

/**
 * The axes and the SVG that the bar charts over a period draw in: values and gridlines up the
 * side, time labels along the bottom, the summary as the image's name for screen readers. Each bar
 * tells what it holds in a tooltip on hover or tap; the plot takes focus (one Tab stop), and the
 * arrow keys, Home and End walk the bars, the tooltip also read out through a live region.
 */
export function BarChartFrame({ height, scale, columns, summary, xTicks, note, axisChars, describe, children }: BarChartFrameProps) {
  const theme = useTheme();
  const { t } = useTranslation();
  const locale = useLocale();
  const count = Math.max(columns, 1);
  const { active, setActive, focusProps } = useRovingIndex(count);
  const width = count * BAR_WIDTH;
  const y = (value: number) => height - (value / scale.top) * height;
  const detail = active !== null && active < columns ? describe(active) : null;

  return (
    <Box sx={{ display: "grid", gridTemplateColumns: `${axisChars + 1}ch minmax(0, 1fr)`, columnGap: 1 }}>
      <Box aria-hidden sx={{ position: "relative", height, typography: "caption", color: "text.secondary" }}>
        {scale.ticks.map((value) => (
          <Box key={value} component="span" sx={{ position: "absolute", right: 0, top: y(value), transform: "translateY(-50%)", lineHeight: 1 }}>
            {formatCount(value, locale)}
          </Box>
        ))}
      </Box>
      <Box
        {...focusProps}
        role="group"
        aria-label={t("chart.frame.explore")}
        onPointerLeave={(event) => {
          if (event.currentTarget !== document.activeElement) setActive(null);
        }}
        sx={{
          position: "relative",
          minWidth: 0,
          borderLeft: 1,
          borderBottom: 1,
          borderColor: "divider",
          "&:focus-visible": { outline: 2, outlineStyle: "solid", outlineColor: "primary.main", outlineOffset: 2 },
        }}
      >
        <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" width="100%" height={height} style={{ display: "block" }}>
          {scale.ticks.slice(1).map((value) => (
            <line key={value} x1={0} x2={width} y1={y(value)} y2={y(value)} stroke={theme.palette.divider} vectorEffect="non-scaling-stroke" data-gridline />
          ))}
          {active !== null && <rect x={active * BAR_WIDTH} y={0} width={BAR_WIDTH} height={height} fill={theme.palette.action.hover} />}
          {children}
          {Array.from({ length: columns }, (_, index) => (
            <rect
              key={index}
              data-bar={index}
              x={index * BAR_WIDTH}
              y={0}
              width={BAR_WIDTH}
              height={height}
              fill="transparent"
              onPointerEnter={() => setActive(index)}
              onClick={() => setActive(index)}
            />
          ))}
        </svg>
        <Box role="status" aria-live="polite" sx={{ position: "absolute", top: 4, pointerEvents: "none", zIndex: 1, ...(active !== null && tooltipPlacement(active, count)) }}>
          {detail !== null && (
            <Paper elevation={4} sx={{ px: 1, py: 0.5, typography: "caption", whiteSpace: "nowrap" }}>
              {detail}
            </Paper>
          )}
        </Box>
      </Box>
      {xTicks && (
        <Box aria-hidden sx={{ gridColumn: 2, position: "relative", height: 20, typography: "caption", color: "text.secondary" }}>
          {xTicks.map((tick, i) => (
            <Box
              key={tick.index}
              component="span"
              // On a phone every other label, counted from the last, so they do not run into each other.
              sx={{ position: "absolute", top: 2, whiteSpace: "nowrap", display: { xs: (xTicks.length - 1 - i) % 2 ? "none" : "block", sm: "block" }, ...tooltipPlacement(tick.index, count) }}
            >
              {tick.label}
            </Box>
          ))}
        </Box>
      )}
      {note && (
        <Box sx={{ gridColumn: 2, typography: "caption", color: "text.secondary" }}>
          {note}
        </Box>
      )}
    </Box>
  );
}
