import { useMutation, useQueryClient } from "@tanstack/react-query";
import { updateDashboardConfig, type DashboardConfigUpdate } from "../services/dashboardConfig";
import { queryKeys } from "../services/queryKeys";

/**
 * PUT a subset; the answer (the full config) replaces the cached one at once, so the polling
 * interval of every section changes without waiting for a refetch. A retention change makes the
 * server prune activity, so activity and task state are refetched too.
 */
export function useUpdateDashboardConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: queryKeys.dashboardConfig.update(),
    mutationFn: (update: DashboardConfigUpdate) => updateDashboardConfig(update),
    onSuccess: async (config, update) => {
      queryClient.setQueryData(queryKeys.dashboardConfig.all, config);
      if (update.retention_days !== undefined) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: queryKeys.activity.all }),
          queryClient.invalidateQueries({ queryKey: queryKeys.tasks.all }),
        ]);
      }
    },
  });
}
