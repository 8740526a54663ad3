import { runTask } from "../services/backgroundTasks";
import { queryKeys } from "../services/queryKeys";
import { useTaskMutation } from "./taskMutations";

/** Start a task now; a 409 ApiError means it is already running. */
export function useRunTask() {
  return useTaskMutation(queryKeys.tasks.run(), runTask);
}
