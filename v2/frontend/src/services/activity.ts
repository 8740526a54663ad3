import { ACTIVITY_PAGE_SIZE } from "../config";
import { api } from "./api";

export const ACTIVITY_TYPES = ["scrape", "background_task", "error", "user_action", "system_event"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type ActivityLevel = "info" | "warning" | "error";

export interface ActivityException {
  type?: string;
  message?: string;
  stacktrace?: string;
}

export interface Activity {
  id: number;
  /** ISO 8601 UTC. */
  timestamp: string;
  type: ActivityType;
  level: ActivityLevel;
  message: string;
  details: Record<string, unknown> & { exception?: ActivityException };
  user: string | null;
  trace_id: string | null;
  span_id: string | null;
}

export interface ActivityPage {
  items: Activity[];
  /** Opaque; null on the last page. */
  next_cursor: string | null;
}

export interface ActivityFilters {
  /** Days back; 0 = since 00:00 UTC today. */
  days: number;
  /** Empty = every type. */
  types: ActivityType[];
}

export interface HistogramBucket {
  start: string;
  /** Types with no events are left out. */
  counts: Partial<Record<ActivityType, number>>;
}

export interface ActivityHistogram {
  bucket_seconds: number;
  /** Oldest first; empty buckets may be missing. */
  buckets: HistogramBucket[];
}

export function getRecentActivity(
  filters: ActivityFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<ActivityPage> {
  return api.get<ActivityPage>(
    "/activity/recent",
    { days: filters.days, type: filters.types, limit: ACTIVITY_PAGE_SIZE, cursor },
    signal,
  );
}

export function getActivityHistogram(filters: ActivityFilters, signal?: AbortSignal): Promise<ActivityHistogram> {
  return api.get<ActivityHistogram>("/activity/histogram", { days: filters.days, type: filters.types }, signal);
}
