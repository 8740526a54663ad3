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

/** Where a period of `days` days back begins, as the server counts it: 00:00 UTC `days` days ago. */
export function periodStart(days: number, now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;
}

/**
 * One entry per bucket from 00:00 UTC `days` days ago to the bucket holding `now`: the one in
 * `present` with that start, else `empty(start)`. Buckets are keyed by instant, not by string, so
 * "+00:00" and "Z" agree; a bucket of `present` off the grid is kept rather than dropped. Every
 * chart over a period of the server's buckets (activity, concurrent streams) fills its gaps here.
 */
export function fillGrid<T extends { start: number }>(
  bucketSeconds: number,
  days: number,
  now: number,
  present: readonly T[],
  empty: (start: number) => T,
): T[] {
  const size = Math.max(bucketSeconds, 60) * 1000;
  const byStart = new Map<number, T>();
  const first = periodStart(days, now);
  const last = Math.floor(now / size) * size;
  for (let start = first; start <= last; start += size) byStart.set(start, empty(start));
  for (const bucket of present) if (!Number.isNaN(bucket.start)) byStart.set(bucket.start, bucket);
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/** The histogram's buckets with the ones the server left out filled in, one bar per period. */
export function fillBuckets(histogram: ActivityHistogram, days: number, now: number): FilledBucket[] {
  const present = histogram.buckets.map((bucket): FilledBucket => {
    const total = Object.values(bucket.counts).reduce((sum, n) => sum + n, 0);
    const levels: FilledBucket["levels"] = {};
    let problems = 0;
    for (const level of PROBLEM_LEVELS) {
      const n = bucket.levels[level] ?? 0;
      if (n) levels[level] = n;
      problems += n;
    }
    return { start: Date.parse(bucket.start), counts: { ...bucket.counts }, total, levels, problems };
  });
  return fillGrid(histogram.bucket_seconds, days, now, present, (start) => ({ start, counts: {}, total: 0, levels: {}, problems: 0 }));
}

const hourFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** A bucket's start as the charts label it: "Mon 14:00" when hourly, "Nov 24" when daily. */
export function formatBucketStart(start: number, hourly: boolean): string {
  return (hourly ? hourFormat : dayFormat).format(new Date(start));
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
