import { queryOptions, useQuery } from "@tanstack/react-query";
import { getBackgroundTasks } from "../services/backgroundTasks";
import { queryKeys } from "../services/queryKeys";

export function backgroundTasksQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.tasks.status(),
    queryFn: ({ signal }) => getBackgroundTasks(signal),
  });
}

export function useBackgroundTasks(refetchInterval: number | false) {
  return useQuery({ ...backgroundTasksQueryOptions(), refetchInterval });
}
