import { api } from "./api";

export type TaskStatus = "pending" | "running" | "idle" | "error" | "paused";

export interface Task {
  task_name: string;
  status: TaskStatus;
  /** No run finished within the interval plus the grace time. */
  overdue: boolean;
  /** The last finished run succeeded with warnings (some of its sources failed); status stays idle. */
  degraded: boolean;
  /** The last finished run's warnings: each failed source and why. Empty unless degraded. */
  warnings: string[];
  paused: boolean;
  interval_seconds: number;
  last_run: string | null;
  last_finished: string | null;
  last_success: string | null;
  /** Null when paused. */
  next_run: string | null;
  last_duration_seconds: number | null;
  last_error: string | null;
  last_error_trace: string | null;
  last_result: Record<string, unknown> | null;
  run_count: number;
  failure_count: number;
}

export interface TaskList {
  tasks: Task[];
}

export interface TaskAccepted {
  task_name: string;
  detail: string;
}

export type TaskAction = "run" | "pause" | "resume";

export function getBackgroundTasks(signal?: AbortSignal): Promise<TaskList> {
  return api.get<TaskList>("/background-tasks/status", undefined, signal);
}

function taskPath(name: string, action: TaskAction): string {
  return `/background-tasks/${encodeURIComponent(name)}/${action}`;
}

/** 202 when queued; 409 (ApiError) when the task is already running. */
export function runTask(name: string): Promise<TaskAccepted> {
  return api.post<TaskAccepted>(taskPath(name, "run"));
}

export function pauseTask(name: string): Promise<TaskAccepted> {
  return api.post<TaskAccepted>(taskPath(name, "pause"));
}

export function resumeTask(name: string): Promise<TaskAccepted> {
  return api.post<TaskAccepted>(taskPath(name, "resume"));
}
