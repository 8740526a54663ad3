import { api } from "./api";
import type { components } from "./api-types";

type Schemas = components["schemas"];

export type TaskStatus = Schemas["TaskStatus"];
export type Task = Schemas["TaskRead"];
export type TaskList = Schemas["TaskList"];
export type TaskAccepted = Schemas["TaskAccepted"];

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
