/** Each peer's and task's state history: `/uptime`. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components } from "./api-types";
import { api } from "./client";

export type Uptime = components["schemas"]["UptimeRead"];
export type EntityUptime = components["schemas"]["EntityUptime"];
export type UptimeBucket = components["schemas"]["UptimeBucket"];
export type UptimeWindow = keyof EntityUptime["windows"];

export const uptimeKeys = {
  all: ["uptime"] as const,
  view: (days: number) => [...uptimeKeys.all, days] as const,
};

export function getUptime(days: number, signal?: AbortSignal): Promise<Uptime> {
  return api.get<Uptime>("/uptime", { days }, signal);
}

export function uptimeQueryOptions(days: number) {
  return queryOptions({
    queryKey: uptimeKeys.view(days),
    queryFn: ({ signal }) => getUptime(days, signal),
  });
}

export function useUptime(days: number, refetchInterval: number | false) {
  return useQuery({ ...uptimeQueryOptions(days), refetchInterval });
}
