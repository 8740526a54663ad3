import { ACTIVITY_PAGE_SIZE } from "../config";
import { api } from "./api";
import type { components } from "./api-types";

type Schemas = components["schemas"];

export type ActivityType = Schemas["ActivityType"];
export type ActivityLevel = Schemas["ActivityLevel"];

/** A Record, so a type the server adds fails to compile until the page lists it here. */
const LISTED: Record<ActivityType, true> = { scrape: true, background_task: true, error: true, user_action: true, system_event: true };

/** Every activity type, in the order the page shows them. */
export const ACTIVITY_TYPES = Object.keys(LISTED) as readonly ActivityType[];

export interface ActivityException {
  type?: string;
  message?: string;
  stacktrace?: string;
}

/** `details` is free-form in the schema; an error's carries the `exception` it caught. */
export type Activity = Schemas["ActivityRead"] & { details: { exception?: ActivityException } };

export type ActivityPage = Omit<Schemas["ActivityPage"], "items"> & { items: Activity[] };

export interface ActivityFilters {
  /** Days back; 0 = since 00:00 UTC today. */
  days: number;
  /** Empty = every type. */
  types: ActivityType[];
}

export type HistogramBucket = Schemas["HistogramBucket"];
export type ActivityHistogram = Schemas["ActivityHistogram"];

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
