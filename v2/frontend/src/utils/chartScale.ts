/** The value axis of a bar chart: a round top and the gridlines up to it. */

export interface ChartScale {
  /** The value at the top of the drawing (≥ the busiest bar, a round number). */
  top: number;
  /** The gridlines' values, 0 first. */
  ticks: number[];
}

/**
 * Gridlines at 1, 2 or 5 × 10ⁿ apart, at most `most` of them above 0, the top being the first at
 * or above `max`: 0–4 by 1 for 4, 0–60 by 20 for 43, 0–15 000 by 5 000 for 10 840. Counts are whole,
 * so the step is never below 1.
 */
export function niceScale(max: number, most = 4): ChartScale {
  const rough = Math.max(max, 1) / most;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  const top = Math.max(step, Math.ceil(Math.max(max, 1) / step) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  return { top, ticks };
}
