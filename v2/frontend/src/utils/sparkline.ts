/** The download-speed sparkline of a playing stream, as points and as words. */
import type { StreamSample } from "../api/streams";
import { formatSpeedRange } from "./units";

export interface SpeedPoint {
  /** Epoch milliseconds. */
  at: number;
  kbps: number;
}

/** The samples that carry a download speed, oldest first; a sample before the stat was read has none. */
export function speedPoints(samples: readonly StreamSample[]): SpeedPoint[] {
  return samples.flatMap((sample) => {
    const at = Date.parse(sample.at);
    return sample.speed_down_kbps === null || Number.isNaN(at) ? [] : [{ at, kbps: sample.speed_down_kbps }];
  });
}

/** "640–900 KB/s": the slowest and fastest download speed, or null when none was recorded. */
export function speedRange(points: readonly SpeedPoint[], locale: string): string | null {
  if (points.length === 0) return null;
  const speeds = points.map((p) => p.kbps);
  return formatSpeedRange(Math.min(...speeds), Math.max(...speeds), locale);
}

/**
 * SVG polyline coordinates for `points` in a `width` × `height` box: time across (the first point
 * at the left edge, the last at the right), speed up from 0 at the bottom to the fastest at the top.
 * A single point is drawn as a flat line.
 */
export function sparklinePath(points: readonly SpeedPoint[], width: number, height: number): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "";
  const span = last.at - first.at;
  const top = Math.max(...points.map((p) => p.kbps), 1);
  const y = (kbps: number) => round(height - 1 - (kbps / top) * (height - 2));
  if (span <= 0) return `0,${y(first.kbps)} ${width},${y(first.kbps)}`;
  return points.map((p) => `${round(((p.at - first.at) / span) * width)},${y(p.kbps)}`).join(" ");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
