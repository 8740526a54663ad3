/** What the page tells about a task's runs: the last run's outcome, a run's look, the order of the list. */
import type { Task, TaskRun } from "../api/tasks";

export type RunLook = "success" | "degraded" | "error" | "interrupted";

/** The last finished run, as far as the page knows it. */
export interface LastRun {
  look: RunLook;
  /** The run's result without its warnings (they show apart); null when it failed. */
  result: Record<string, unknown> | null;
  warnings: string[];
  error: string | null;
  trace: string | null;
}

export function runLook(run: Pick<TaskRun, "outcome" | "degraded">): RunLook {
  if (run.outcome === "success") return run.degraded ? "degraded" : "success";
  return run.outcome === "error" ? "error" : "interrupted";
}

function withoutWarnings(result: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!result) return null;
  return Object.fromEntries(Object.entries(result).filter(([key]) => key !== "warnings"));
}

/**
 * The task's last finished run: the newest of `runs` when they are loaded, else what the task's
 * state says. The state keeps the last success's result and the last failure's error whatever came
 * after (a failed run leaves an older result, a success leaves an older error), so only the one
 * that belongs to the last run is kept: the last finished run succeeded when it finished at
 * `last_success`. Null before any run finished.
 */
export function lastRun(task: Task, runs: readonly TaskRun[] | undefined): LastRun | null {
  const newest = runs?.[0];
  if (newest) {
    const look = runLook(newest);
    const failed = look === "error";
    return {
      look,
      result: look === "success" || look === "degraded" ? withoutWarnings(newest.result) : null,
      warnings: newest.warnings,
      error: failed ? newest.error : null,
      trace: failed && newest.error === task.last_error ? task.last_error_trace : null,
    };
  }
  if (task.last_finished === null) return null;
  if (task.last_success === task.last_finished) {
    return { look: task.degraded ? "degraded" : "success", result: withoutWarnings(task.last_result), warnings: task.warnings, error: null, trace: null };
  }
  if (task.status === "error" && task.last_error !== null) {
    return { look: "error", result: null, warnings: [], error: task.last_error, trace: task.last_error_trace };
  }
  return { look: "interrupted", result: null, warnings: [], error: null, trace: null };
}

/** 0 failing, 1 partly failing (warnings, overdue), 2 well. */
function urgency(task: Task): number {
  if (task.status === "error") return 0;
  return task.degraded || task.overdue ? 1 : 2;
}

/** Failing tasks first, then those with warnings or overdue; the service's order within each (the sort is stable). */
export function failingFirst(tasks: readonly Task[]): Task[] {
  return [...tasks].sort((a, b) => urgency(a) - urgency(b));
}
