import { useQueryClient } from "@tanstack/react-query";
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/client";
import {
  taskKeys,
  taskRunsQueryOptions,
  usePendingTaskActions,
  useTaskAction,
  useTaskRuns,
  type TaskAction,
  type TaskList as TaskListData,
  type TaskRun,
} from "../api/tasks";
import { Notice, type NoticeState } from "../components/Notice";
import type { SectionQuery } from "../components/QueryBoundary";
import { TaskList } from "../components/TaskList";
import { showInvisible } from "../utils/text";
import { runLook } from "../utils/taskRuns";

export interface TasksPanelProps {
  query: SectionQuery<TaskListData>;
}

/** How often a manual run is looked for among the task's runs until it ends, and for how long at most. */
const WATCH_EVERY_MS = 1000;
const WATCH_AT_MOST_MS = 60 * 60 * 1000;

/** The result keys that sum up a run in a toast ("scrape finished: 120 channels"), in order of preference. */
const HEADLINES = ["channels_found", "matched", "channels", "deleted", "streams_checked", "channels_checked"] as const;

const FAILED = { run: "toasts.runFailed", pause: "toasts.pauseFailed", resume: "toasts.resumeFailed" } as const;

/**
 * The tasks section with its own fetches (each task's recent runs) and actions. A manual run is
 * watched until it ends, so its toast says how it went, not only that it started.
 */
export const TasksPanel = memo(function TasksPanel({ query }: TasksPanelProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tasks = query.data?.tasks ?? [];
  const runs = useTaskRuns(tasks);
  const taskAction = useTaskAction();
  const pending = usePendingTaskActions();
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const notify = (severity: NoticeState["severity"], message: string) => {
    if (mounted.current) setNotice((previous) => ({ id: (previous?.id ?? 0) + 1, open: true, severity, message }));
  };

  /** The first run of `name` newer than `afterId`, once it has finished; null if none within the watch. */
  const awaitRun = async (name: string, afterId: number): Promise<TaskRun | null> => {
    const giveUp = Date.now() + WATCH_AT_MOST_MS;
    while (Date.now() < giveUp) {
      await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
      if (!mounted.current) return null;
      const latest = await queryClient.query({ ...taskRunsQueryOptions(name, null), staleTime: 0 }).catch(() => null);
      const newest = latest?.runs[0];
      if (newest && newest.id > afterId) return newest;
    }
    return null;
  };

  const outcome = (name: string, run: TaskRun): [NoticeState["severity"], string] => {
    const look = runLook(run);
    if (look === "error") return ["error", t("toasts.failed", { task: name, error: showInvisible(run.error ?? "") })];
    if (look === "interrupted") return ["warning", t("toasts.interrupted", { task: name })];
    const key = HEADLINES.find((candidate) => typeof run.result?.[candidate] === "number");
    const summary = key ? t(`toasts.headline.${key}`, { count: run.result?.[key] as number }) : "";
    if (look === "degraded") {
      return ["warning", t("toasts.finishedWarnings", { task: name, count: run.warnings.length, summary: summary || showInvisible(run.warnings[0] ?? "") })];
    }
    return ["success", summary ? t("toasts.finishedWith", { task: name, summary }) : t("toasts.finished", { task: name })];
  };

  const act = async (action: TaskAction, name: string) => {
    // The newest run before this one: the run started here is the first newer one.
    const lastFinished = tasks.find((task) => task.task_name === name)?.last_finished ?? null;
    const known =
      action === "run" ? await queryClient.query({ ...taskRunsQueryOptions(name, lastFinished), staleTime: "static" }).catch(() => null) : null;
    try {
      await taskAction.mutateAsync({ action, name });
    } catch (error: unknown) {
      notify("error", t(FAILED[action], { task: name, reason: errorMessage(error) }));
      return;
    }
    if (action !== "run") {
      notify("success", t(action === "pause" ? "toasts.paused" : "toasts.resumed", { task: name }));
      return;
    }
    notify("info", t("toasts.runStarted", { task: name }));
    const run = await awaitRun(name, known?.runs[0]?.id ?? 0);
    if (!run) return;
    void queryClient.invalidateQueries({ queryKey: taskKeys.status() });
    notify(...outcome(name, run));
  };

  // One function for every render, so that a task row whose task and runs did not change is not
  // rendered again (TaskItem is memoised); it calls this render's `act`.
  const latestAct = useRef(act);
  useLayoutEffect(() => {
    latestAct.current = act;
  });
  const onAction = useCallback((action: TaskAction, name: string) => void latestAct.current(action, name), []);

  return (
    <>
      <TaskList query={query} runs={runs} pending={pending} onAction={onAction} />
      <Notice notice={notice} onClose={() => setNotice((previous) => previous && { ...previous, open: false })} />
    </>
  );
});
