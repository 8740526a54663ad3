import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { queryKeys } from "../services/queryKeys";

/** After any task action the task list and the activity log (which records it) are stale. */
function invalidateAfterTaskAction(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.tasks.all }),
    queryClient.invalidateQueries({ queryKey: queryKeys.activity.all }),
  ]).then(() => undefined);
}

export function useTaskMutation<T>(mutationKey: readonly unknown[], mutationFn: (name: string) => Promise<T>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey,
    mutationFn,
    onSettled: () => invalidateAfterTaskAction(queryClient),
  });
}
