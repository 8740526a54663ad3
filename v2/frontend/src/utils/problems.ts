/**
 * What is wrong, at a glance: the page's summary, tab title and favicon all read `findProblems`, so
 * they never disagree. Pure: data in, problems out, no text (the summary translates each kind).
 */
import type { ActiveStreams } from "../api/streams";
import type { TaskList } from "../api/tasks";
import type { WarpStatus } from "../api/warp";

export type Severity = "error" | "warning";

/** Where a problem is shown: the section's id (and the task's own element, when there is one). */
export type Problem = { severity: Severity; anchors: string[] } & (
  | { kind: "taskFailing" | "taskOverdue" | "taskPartial"; task: string }
  | { kind: "acexyDown" | "peersDown" }
  | { kind: "warpDown"; state: WarpStatus["status"] }
  | { kind: "streamStalled"; stream: string }
);

export interface ProblemSources {
  /** Undefined until loaded: its problems are then unknown, not absent. */
  tasks: TaskList | undefined;
  streams: ActiveStreams | undefined;
  warp: WarpStatus | undefined;
}

export type Overall = "ok" | "warning" | "error" | "unknown";

export interface Glance {
  /** Errors first, then warnings; in each, the order of the page. */
  problems: Problem[];
  /** "unknown" while a source has not loaded and nothing is wrong in the others. */
  overall: Overall;
}

export const TASKS_SECTION = "background-tasks";
export const STREAMS_SECTION = "active-streams";
export const WARP_SECTION = "warp-status";

/** The id a task's own element may carry; the summary's link falls back to the section without it. */
export function taskAnchorId(task: string): string {
  return `task-${task}`;
}

function taskProblems(tasks: TaskList): Problem[] {
  return tasks.tasks.flatMap((task): Problem[] => {
    const anchors = [taskAnchorId(task.task_name), TASKS_SECTION];
    const base = { task: task.task_name, anchors };
    // A failing task is also overdue more often than not; one line says it.
    if (task.status === "error") return [{ ...base, kind: "taskFailing", severity: "error" }];
    if (task.overdue) return [{ ...base, kind: "taskOverdue", severity: "warning" }];
    if (task.degraded) return [{ ...base, kind: "taskPartial", severity: "warning" }];
    return [];
  });
}

/**
 * acexy down while the engine answers still plays streams (amber); both down plays nothing (red).
 * Before the first check (`checked_at` null) nothing is known, so nothing is wrong yet.
 */
function streamProblems(streams: ActiveStreams): Problem[] {
  const anchors = [STREAMS_SECTION];
  const problems: Problem[] = [];
  if (streams.checked_at !== null && streams.source !== "acexy") {
    problems.push(
      streams.available ? { kind: "acexyDown", severity: "warning", anchors } : { kind: "peersDown", severity: "error", anchors },
    );
  }
  for (const stream of streams.streams) {
    if (stream.stalled) {
      problems.push({ kind: "streamStalled", severity: "warning", stream: stream.channel?.name ?? stream.id ?? stream.infohash ?? "?", anchors });
    }
  }
  return problems;
}

/** "unavailable" is WARP not set up (a choice, not a fault); "connecting" passes by itself. */
function warpProblems(warp: WarpStatus): Problem[] {
  if (warp.status !== "disconnected" && warp.status !== "error") return [];
  return [{ kind: "warpDown", severity: warp.status === "error" ? "error" : "warning", state: warp.status, anchors: [WARP_SECTION] }];
}

export function findProblems({ tasks, streams, warp }: ProblemSources): Glance {
  const found = [
    ...(tasks ? taskProblems(tasks) : []),
    ...(streams ? streamProblems(streams) : []),
    ...(warp ? warpProblems(warp) : []),
  ];
  const problems = [...found.filter((p) => p.severity === "error"), ...found.filter((p) => p.severity === "warning")];
  let overall: Overall = "ok";
  if (problems.some((p) => p.severity === "error")) overall = "error";
  else if (problems.length > 0) overall = "warning";
  else if (!tasks || !streams || !warp) overall = "unknown";
  return { problems, overall };
}
