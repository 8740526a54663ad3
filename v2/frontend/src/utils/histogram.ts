import type { ActivityHistogram, ActivityLevel, ActivityType } from "../api/activity";

/** The levels the chart's problem track draws, the most serious first. */
export const PROBLEM_LEVELS = ["error", "warning"] as const satisfies readonly ActivityLevel[];
export type ProblemLevel = (typeof PROBLEM_LEVELS)[number];

export interface FilledBucket {
  /** Epoch milliseconds of the bucket start (UTC). */
  start: number;
  counts: Partial<Record<ActivityType, number>>;
  total: number;
  /** Warnings and errors among `counts`. */
  levels: Partial<Record<ProblemLevel, number>>;
  problems: number;
}

const DAY_MS = 86_400_000;

/**
 * Fill the buckets the server left out so the chart has one bar per period, from 00:00 UTC `days`
 * days ago to the bucket holding `now`. Buckets are keyed by instant, not by string, so "+00:00" and
 * "Z" agree; a server bucket off the grid is kept rather than dropped.
 */
export function fillBuckets(histogram: ActivityHistogram, days: number, now: number): FilledBucket[] {
  const size = Math.max(histogram.bucket_seconds, 60) * 1000;
  const byStart = new Map<number, FilledBucket>();
  const startOfToday = Math.floor(now / DAY_MS) * DAY_MS;
  const first = startOfToday - days * DAY_MS;
  const last = Math.floor(now / size) * size;
  for (let start = first; start <= last; start += size) byStart.set(start, { start, counts: {}, total: 0, levels: {}, problems: 0 });
  for (const bucket of histogram.buckets) {
    const start = Date.parse(bucket.start);
    if (Number.isNaN(start)) continue;
    const total = Object.values(bucket.counts).reduce((sum, n) => sum + n, 0);
    const levels: FilledBucket["levels"] = {};
    let problems = 0;
    for (const level of PROBLEM_LEVELS) {
      const n = bucket.levels[level] ?? 0;
      if (n) levels[level] = n;
      problems += n;
    }
    byStart.set(start, { start, counts: { ...bucket.counts }, total, levels, problems });
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/** Sum of each type over all buckets. */
export function totalsByType(buckets: FilledBucket[]): Partial<Record<ActivityType, number>> {
  const totals: Partial<Record<ActivityType, number>> = {};
  for (const bucket of buckets) {
    for (const [type, n] of Object.entries(bucket.counts) as [ActivityType, number][]) {
      totals[type] = (totals[type] ?? 0) + n;
    }
  }
  return totals;
}

/** Sum of warnings and of errors over all buckets. */
export function totalsByLevel(buckets: FilledBucket[]): Record<ProblemLevel, number> {
  const totals: Record<ProblemLevel, number> = { error: 0, warning: 0 };
  for (const bucket of buckets) for (const level of PROBLEM_LEVELS) totals[level] += bucket.levels[level] ?? 0;
  return totals;
}
