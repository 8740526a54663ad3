import { queryOptions, useQuery } from "@tanstack/react-query";
import { queryKeys } from "../services/queryKeys";
import { getActiveStreams } from "../services/streams";

export function activeStreamsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.streams.active(),
    queryFn: ({ signal }) => getActiveStreams(signal),
  });
}

export function useActiveStreams(refetchInterval: number | false) {
  return useQuery({ ...activeStreamsQueryOptions(), refetchInterval });
}
