import { useMutationState } from "@tanstack/react-query";
import type { TaskAction } from "../services/backgroundTasks";
import { queryKeys } from "../services/queryKeys";

const ACTION_KEYS: [TaskAction, readonly unknown[]][] = [
  ["run", queryKeys.tasks.run()],
  ["pause", queryKeys.tasks.pause()],
  ["resume", queryKeys.tasks.resume()],
];

/** Task name → the action in flight for it, across every task button on the page. */
export function usePendingTaskActions(): Partial<Record<string, TaskAction>> {
  const pending = useMutationState({
    filters: { status: "pending", predicate: (mutation) => mutation.options.mutationKey?.[0] === queryKeys.tasks.all[0] },
    select: (mutation) => ({ key: mutation.options.mutationKey, name: mutation.state.variables }),
  });
  const result: Partial<Record<string, TaskAction>> = {};
  for (const { key, name } of pending) {
    const action = ACTION_KEYS.find(([, actionKey]) => actionKey.every((part, i) => key?.[i] === part));
    if (action && typeof name === "string") result[name] = action[0];
  }
  return result;
}
