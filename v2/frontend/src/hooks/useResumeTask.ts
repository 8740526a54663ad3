import { resumeTask } from "../services/backgroundTasks";
import { queryKeys } from "../services/queryKeys";
import { useTaskMutation } from "./taskMutations";

export function useResumeTask() {
  return useTaskMutation(queryKeys.tasks.resume(), resumeTask);
}
