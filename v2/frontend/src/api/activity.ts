/** The activity log, its histogram and its export: `/activity/recent`, `/histogram` and `/export`. */
import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  type InfiniteData,
} from "@tanstack/react-query";
import { ACTIVITY_PAGE_SIZE } from "../config";
import type { components } from "./api-types";
import { api, requestResponse } from "./client";

type Schemas = components["schemas"];

export type ActivityType = Schemas["ActivityType"];
export type ActivityLevel = Schemas["ActivityLevel"];

/** A Record, so a type the server adds fails to compile until the page lists it here. */
const LISTED: Record<ActivityType, true> = { scrape: true, background_task: true, error: true, user_action: true, system_event: true, stream: true, notification: true };

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
  /** Only rows of this level or above; `warning` is "Problems only". */
  minLevel: ActivityLevel;
}

/** The query parameters the activity endpoints share for a set of filters. */
export function filterParams(filters: ActivityFilters) {
  return { days: filters.days, type: filters.types, min_level: filters.minLevel };
}

export type HistogramBucket = Schemas["HistogramBucket"];
export type ActivityHistogram = Schemas["ActivityHistogram"];

export const activityKeys = {
  all: ["activity"] as const,
  lists: () => [...activityKeys.all, "list"] as const,
  list: (filters: ActivityFilters) => [...activityKeys.lists(), filters] as const,
  histograms: () => [...activityKeys.all, "histogram"] as const,
  histogram: (filters: ActivityFilters) => [...activityKeys.histograms(), filters] as const,
};

export function getRecentActivity(
  filters: ActivityFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<ActivityPage> {
  return api.get<ActivityPage>(
    "/activity/recent",
    { ...filterParams(filters), limit: ACTIVITY_PAGE_SIZE, cursor },
    signal,
  );
}

export function getActivityHistogram(filters: ActivityFilters, signal?: AbortSignal): Promise<ActivityHistogram> {
  return api.get<ActivityHistogram>("/activity/histogram", filterParams(filters), signal);
}

/**
 * All loaded pages as one newest-first list. Keyset pages do not overlap, but a poll can land
 * between two page fetches; keeping the first copy of each id makes duplicates impossible.
 */
export function flattenActivityPages(pages: readonly ActivityPage[] | undefined): Activity[] | undefined {
  if (!pages) return undefined;
  const seen = new Set<number>();
  const items: Activity[] = [];
  for (const page of pages) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}

/** Module-level so TanStack keeps its result until the pages change (an inline select reruns each render). */
const selectItems = (data: InfiniteData<ActivityPage, string | null>) => flattenActivityPages(data.pages);

export function recentActivityQueryOptions(filters: ActivityFilters) {
  return infiniteQueryOptions({
    queryKey: activityKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getRecentActivity(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/**
 * Newest first, one page per cursor, `data` being every loaded page flattened. A poll refetches
 * every loaded page from the first cursor on, so the list stays in keyset order without offsets.
 */
export function useRecentActivity(filters: ActivityFilters, refetchInterval: number | false) {
  return useInfiniteQuery({
    ...recentActivityQueryOptions(filters),
    select: selectItems,
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export function activityHistogramQueryOptions(filters: ActivityFilters) {
  return queryOptions({
    queryKey: activityKeys.histogram(filters),
    queryFn: ({ signal }) => getActivityHistogram(filters, signal),
  });
}

/**
 * No placeholder from the previous period: hourly buckets drawn over a 30-day range would flash
 * hundreds of empty bars, so a period change shows the skeleton instead.
 */
export function useActivityHistogram(filters: ActivityFilters, refetchInterval: number | false) {
  return useQuery({ ...activityHistogramQueryOptions(filters), refetchInterval });
}

export type ExportFormat = Schemas["ExportFormat"];

export interface ActivityFile {
  blob: Blob;
  /** The name `Content-Disposition` gives, e.g. `activity-2026-12-02T0830Z.csv`. */
  filename: string;
}

const ACCEPT: Record<ExportFormat, string> = { csv: "text/csv", ndjson: "application/x-ndjson" };

function attachmentName(disposition: string | null, format: ExportFormat): string {
  const match = disposition ? /filename="?([^";]+)"?/.exec(disposition) : null;
  return match?.[1] ?? `activity.${format}`;
}

/**
 * The log as the filters show it, as a file. Fetched through the client rather than followed as a
 * link, so that the API token goes with it (a link cannot send the Authorization header).
 */
export async function exportActivity(filters: ActivityFilters, format: ExportFormat): Promise<ActivityFile> {
  const response = await requestResponse("/activity/export", { query: { ...filterParams(filters), format }, accept: ACCEPT[format] });
  return { blob: await response.blob(), filename: attachmentName(response.headers.get("Content-Disposition"), format) };
}

export function useExportActivity() {
  return useMutation({
    mutationFn: ({ filters, format }: { filters: ActivityFilters; format: ExportFormat }) => exportActivity(filters, format),
  });
}
