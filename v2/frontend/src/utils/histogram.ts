import type { ActivityHistogram, ActivityLevel, ActivityType } from "../api/activity";
import { dateFormat } from "./intl";

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
 * Where a period of `days` days back begins, as the server counts it (`window_start` in
 * services/activity.py): 0 is since 00:00 UTC today, any other `days` the last `days` × 24 hours.
 */
export function periodStart(days: number, now: number): number {
  return days === 0 ? Math.floor(now / DAY_MS) * DAY_MS : now - days * DAY_MS;
}

/**
 * One entry per bucket from the one holding the period's start (see `periodStart`) to the one
 * holding `now`: the one in `present` with that start, else `empty(start)`. Buckets are keyed by
 * instant, not by string, so "+00:00" and "Z" agree; a bucket of `present` off the grid is kept
 * rather than dropped. Every chart over a period of the server's buckets (activity, concurrent
 * streams) fills its gaps here.
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
  const first = Math.floor(periodStart(days, now) / size) * size;
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

const HOUR = { weekday: "short", hour: "2-digit", minute: "2-digit" } as const;
const CLOCK = { hour: "2-digit", minute: "2-digit" } as const;
/**
 * The server's daily buckets are UTC days (its hourly counts cannot be cut at a viewer's
 * half-hour offset), so they are named as UTC dates and the chart says so, rather than shifted
 * into the viewer's zone where Dec 1 would read Nov 30 west of Greenwich.
 */
const UTC_DAY = { month: "short", day: "numeric", timeZone: "UTC" } as const;

/** A bucket's start as the charts label it: "Mon 14:00" (local time) when hourly, "Nov 24" (UTC) when daily. */
export function formatBucketStart(start: number, hourly: boolean, locale: string): string {
  return dateFormat(locale, hourly ? HOUR : UTC_DAY).format(new Date(start));
}

export interface AxisTick {
  /** The bar the tick stands under. */
  index: number;
  label: string;
}

const HOUR_STEPS = [1, 2, 3, 6, 12, 24];
const DAY_STEPS = [1, 2, 7, 14];

/**
 * At most `most` labels under a time axis. Hourly: at local hours that are a multiple of the step
 * ("06:00", "12:00"), the weekday added where the day changes. Daily: every `step`th UTC day counted
 * back from today's, so the current day is always labelled.
 */
export function timeTicks(starts: readonly number[], hourly: boolean, locale: string, most = 6): AxisTick[] {
  if (hourly) {
    const step = HOUR_STEPS.find((s) => starts.length / s <= most) ?? 24;
    const ticks: AxisTick[] = [];
    let day: number | null = null;
    starts.forEach((start, index) => {
      const date = new Date(start);
      if (date.getHours() % step !== 0) return;
      const newDay = day === null || date.getDate() !== day;
      day = date.getDate();
      ticks.push({ index, label: dateFormat(locale, newDay ? HOUR : CLOCK).format(date) });
    });
    return ticks;
  }
  const step = DAY_STEPS.find((s) => starts.length / s <= most) ?? Math.ceil(starts.length / most);
  return starts.flatMap((start, index) =>
    (starts.length - 1 - index) % step === 0 ? [{ index, label: formatBucketStart(start, false, locale) }] : [],
  );
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
