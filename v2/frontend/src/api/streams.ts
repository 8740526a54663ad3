/** The streams playing through acexy: `/streams/active`. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components } from "./api-types";
import { api } from "./client";

export type Stream = components["schemas"]["StreamRead"];
export type ActiveStreams = components["schemas"]["ActiveStreams"];

export const streamKeys = {
  all: ["streams"] as const,
  active: () => [...streamKeys.all, "active"] as const,
};

export function getActiveStreams(signal?: AbortSignal): Promise<ActiveStreams> {
  return api.get<ActiveStreams>("/streams/active", undefined, signal);
}

export function activeStreamsQueryOptions() {
  return queryOptions({
    queryKey: streamKeys.active(),
    queryFn: ({ signal }) => getActiveStreams(signal),
  });
}

export function useActiveStreams(refetchInterval: number | false) {
  return useQuery({ ...activeStreamsQueryOptions(), refetchInterval });
}
