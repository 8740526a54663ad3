/** The page's settings kept on the server: `GET`/`PUT /config/dashboard`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FALLBACK_REFRESH_INTERVAL_SECONDS } from "../config";
import { activityKeys } from "./activity";
import type { components } from "./api-types";
import { api } from "./client";
import { taskKeys } from "./tasks";

export type DashboardConfig = components["schemas"]["DashboardConfig"];
export type DashboardConfigUpdate = components["schemas"]["DashboardConfigUpdate"];
export type RetentionPreview = components["schemas"]["RetentionPreview"];

export const dashboardConfigKeys = {
  all: ["config", "dashboard"] as const,
  update: () => [...dashboardConfigKeys.all, "update"] as const,
  retentionPreview: (days: number) => [...dashboardConfigKeys.all, "retention-preview", days] as const,
};

export function getDashboardConfig(signal?: AbortSignal): Promise<DashboardConfig> {
  return api.get<DashboardConfig>("/config/dashboard", undefined, signal);
}

/** How many activity entries a retention of `days` would delete now, and from when; deletes nothing. */
export function getRetentionPreview(days: number, signal?: AbortSignal): Promise<RetentionPreview> {
  return api.get<RetentionPreview>("/config/dashboard/retention-preview", { days }, signal);
}

/**
 * The count the confirmation shows, asked for only while it is shown (`enabled`) and never
 * reused from earlier: rows keep arriving and ageing, so a count from before could be wrong.
 */
export function useRetentionPreview(days: number, enabled: boolean) {
  return useQuery({
    queryKey: dashboardConfigKeys.retentionPreview(days),
    queryFn: ({ signal }) => getRetentionPreview(days, signal),
    enabled,
    gcTime: 0,
    staleTime: 0,
  });
}

/** Send only the fields that change; the server answers with the full configuration. */
export function updateDashboardConfig(update: DashboardConfigUpdate): Promise<DashboardConfig> {
  return api.put<DashboardConfig>("/config/dashboard", update);
}

/**
 * The polling interval every section uses, in ms, or false for none. Auto-refresh off → false.
 * While the config loads → false (it answers first). If it cannot be loaded → the server's default,
 * so the page still recovers by itself when the backend comes back.
 */
export function refetchIntervalFrom(config: DashboardConfig | undefined, loadFailed = false): number | false {
  if (!config) return loadFailed ? FALLBACK_REFRESH_INTERVAL_SECONDS * 1000 : false;
  return config.auto_refresh_enabled ? config.refresh_interval_seconds * 1000 : false;
}

export function dashboardConfigQueryOptions() {
  return queryOptions({
    queryKey: dashboardConfigKeys.all,
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

/**
 * PUT a subset; the answer (the full config) replaces the cached one at once, so the polling
 * interval of every section changes without waiting for a refetch. A retention change makes the
 * server prune activity, so activity and task state are refetched too.
 */
export function useUpdateDashboardConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: dashboardConfigKeys.update(),
    mutationFn: (update: DashboardConfigUpdate) => updateDashboardConfig(update),
    onSuccess: async (config, update) => {
      queryClient.setQueryData(dashboardConfigKeys.all, config);
      if (update.retention_days !== undefined) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: activityKeys.all }),
          queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        ]);
      }
    },
  });
}
