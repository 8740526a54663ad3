import { queryOptions, useQuery } from "@tanstack/react-query";
import { getDashboardConfig, refetchIntervalFrom } from "../services/dashboardConfig";
import { queryKeys } from "../services/queryKeys";

export function dashboardConfigQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.dashboardConfig.all,
    queryFn: ({ signal }) => getDashboardConfig(signal),
  });
}

/**
 * Decides the polling of everything else, so it is not polled itself — except after a failed load,
 * when it retries at the fallback interval like the sections do.
 */
export function useDashboardConfig() {
  return useQuery({
    ...dashboardConfigQueryOptions(),
    refetchInterval: (query) => (query.state.data === undefined ? refetchIntervalFrom(undefined, query.state.status === "error") : false),
  });
}
