import { pauseTask } from "../services/backgroundTasks";
import { queryKeys } from "../services/queryKeys";
import { useTaskMutation } from "./taskMutations";

export function usePauseTask() {
  return useTaskMutation(queryKeys.tasks.pause(), pauseTask);
}
