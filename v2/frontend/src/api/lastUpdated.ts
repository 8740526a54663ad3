import { notifyManager, useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";

/** When the newest data of any query arrived (epoch ms), null before any did; re-renders only when that changes. */
export function useLastUpdated(): number | null {
  const queryClient = useQueryClient();
  const subscribe = useCallback((listener: () => void) => queryClient.getQueryCache().subscribe(notifyManager.batchCalls(listener)), [queryClient]);
  const read = () => Math.max(0, ...queryClient.getQueryCache().getAll().map((query) => query.state.dataUpdatedAt)) || null;
  return useSyncExternalStore(subscribe, read);
}
