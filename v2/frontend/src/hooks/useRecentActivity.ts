import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { getRecentActivity, type ActivityFilters } from "../services/activity";
import { queryKeys } from "../services/queryKeys";

export function recentActivityQueryOptions(filters: ActivityFilters) {
  return infiniteQueryOptions({
    queryKey: queryKeys.activity.list(filters),
    queryFn: ({ pageParam, signal }) => getRecentActivity(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/**
 * Newest first, one page per cursor. A poll refetches every loaded page from the first cursor on,
 * so the list stays in keyset order without offsets.
 */
export function useRecentActivity(filters: ActivityFilters, refetchInterval: number | false) {
  return useInfiniteQuery({
    ...recentActivityQueryOptions(filters),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
