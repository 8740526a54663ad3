/** The background tasks: `/background-tasks/status`, each task's recent runs, and its run, pause and resume. */
import { keepPreviousData, queryOptions, useMutation, useMutationState, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { activityKeys } from "./activity";
import type { components } from "./api-types";
import { api } from "./client";

type Schemas = components["schemas"];

export type TaskStatus = Schemas["TaskStatus"];
export type Task = Schemas["TaskRead"];
export type TaskList = Schemas["TaskList"];
export type TaskAccepted = Schemas["TaskAccepted"];
export type TaskRun = Schemas["TaskRunRead"];
export type TaskRunList = Schemas["TaskRunList"];

/** How many recent runs each task's strip shows. */
export const RECENT_RUNS = 12;

export type TaskAction = "run" | "pause" | "resume";

/** The variables of a task action: which action, on which task. */
export interface TaskActionRequest {
  action: TaskAction;
  name: string;
}

export const taskKeys = {
  all: ["background-tasks"] as const,
  status: () => [...taskKeys.all, "status"] as const,
  runs: (name: string) => [...taskKeys.all, "runs", name] as const,
  /** Every run, pause and resume; the variables say which. */
  action: () => [...taskKeys.all, "action"] as const,
};

export function getBackgroundTasks(signal?: AbortSignal): Promise<TaskList> {
  return api.get<TaskList>("/background-tasks/status", undefined, signal);
}

/** The task's latest `RECENT_RUNS` finished runs, newest first. */
export function getTaskRuns(name: string, signal?: AbortSignal): Promise<TaskRunList> {
  return api.get<TaskRunList>(`/background-tasks/${encodeURIComponent(name)}/runs`, { limit: RECENT_RUNS }, signal);
}

/** 202 for a run (200 for pause/resume); a run answers 409 (ApiError) when the task is already running. */
export function postTaskAction({ action, name }: TaskActionRequest): Promise<TaskAccepted> {
  return api.post<TaskAccepted>(`/background-tasks/${encodeURIComponent(name)}/${action}`);
}

export function backgroundTasksQueryOptions() {
  return queryOptions({
    queryKey: taskKeys.status(),
    queryFn: ({ signal }) => getBackgroundTasks(signal),
  });
}

export function useBackgroundTasks(refetchInterval: number | false) {
  return useQuery({ ...backgroundTasksQueryOptions(), refetchInterval });
}

/**
 * The task's recent runs as of its run that finished at `lastFinished` (the task list's
 * `last_finished`): its runs change only when one finishes, so a new finish is a new key, fetched
 * once, and nothing else needs polling them.
 */
export function taskRunsQueryOptions(name: string, lastFinished: string | null) {
  return queryOptions({
    queryKey: [...taskKeys.runs(name), lastFinished] as const,
    queryFn: ({ signal }) => getTaskRuns(name, signal),
  });
}

/**
 * Task name → its recent runs (undefined until loaded or when they could not be read). Each task's
 * runs are read again when the task list says one of its runs finished since (a live event or a
 * poll of the list: one request per changed task, not one per task); meanwhile the runs read
 * before stay shown.
 */
export function useTaskRuns(tasks: readonly Task[]): Partial<Record<string, TaskRun[]>> {
  return useQueries({
    queries: tasks.map((task) => ({ ...taskRunsQueryOptions(task.task_name, task.last_finished), placeholderData: keepPreviousData })),
    combine: (results) => Object.fromEntries(tasks.map((task, index) => [task.task_name, results[index]?.data?.runs])),
  });
}

/**
 * Run, pause or resume a task: `mutateAsync({ action, name })`. Settled either way, the task list,
 * the task's runs and the activity log (which records the action) are stale; the action ends once
 * the task list is read again (it shows the outcome: Paused, Resume), not waiting for the rest.
 */
export function useTaskAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: taskKeys.action(),
    mutationFn: postTaskAction,
    onSettled: (_data, _error, { name }) => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.runs(name) });
      void queryClient.invalidateQueries({ queryKey: activityKeys.all });
      return queryClient.invalidateQueries({ queryKey: taskKeys.status() });
    },
  });
}

/** Task name → the action in flight for it, across every task button on the page. */
export function usePendingTaskActions(): Partial<Record<string, TaskAction>> {
  const pending = useMutationState({
    filters: { mutationKey: taskKeys.action(), status: "pending" },
    // Only useTaskAction uses this key, so its variables are a TaskActionRequest.
    select: (mutation) => mutation.state.variables as TaskActionRequest,
  });
  return Object.fromEntries(pending.map(({ name, action }) => [name, action]));
}
