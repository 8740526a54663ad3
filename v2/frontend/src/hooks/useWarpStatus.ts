import { queryOptions, useQuery } from "@tanstack/react-query";
import { queryKeys } from "../services/queryKeys";
import { getWarpStatus } from "../services/warp";

export function warpStatusQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.warp.status(),
    queryFn: ({ signal }) => getWarpStatus(signal),
  });
}

export function useWarpStatus(refetchInterval: number | false) {
  return useQuery({ ...warpStatusQueryOptions(), refetchInterval });
}
