/** The Cloudflare WARP state: `/warp/status`. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components } from "./api-types";
import { api } from "./client";

export type WarpStatus = components["schemas"]["WarpStatusRead"];
export type WarpState = WarpStatus["status"];

export const warpKeys = {
  all: ["warp"] as const,
  status: () => [...warpKeys.all, "status"] as const,
};

export function getWarpStatus(signal?: AbortSignal): Promise<WarpStatus> {
  return api.get<WarpStatus>("/warp/status", undefined, signal);
}

export function warpStatusQueryOptions() {
  return queryOptions({
    queryKey: warpKeys.status(),
    queryFn: ({ signal }) => getWarpStatus(signal),
  });
}

export function useWarpStatus(refetchInterval: number | false) {
  return useQuery({ ...warpStatusQueryOptions(), refetchInterval });
}
