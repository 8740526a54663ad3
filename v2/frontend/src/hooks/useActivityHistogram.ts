import { queryOptions, useQuery } from "@tanstack/react-query";
import { getActivityHistogram, type ActivityFilters } from "../services/activity";
import { queryKeys } from "../services/queryKeys";

export function activityHistogramQueryOptions(filters: ActivityFilters) {
  return queryOptions({
    queryKey: queryKeys.activity.histogram(filters),
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
