import Box from "@mui/material/Box";
import { useTranslation } from "react-i18next";
import type { Task, TaskAction, TaskList as TaskListData, TaskRun } from "../api/tasks";
import { failingFirst } from "../utils/taskRuns";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";
import { TaskItem } from "./TaskItem";

export interface TaskListProps {
  query: SectionQuery<TaskListData>;
  /** Task name → its recent runs, newest first (missing until loaded). */
  runs: Partial<Record<string, TaskRun[]>>;
  /** Task name → action in flight. */
  pending: Partial<Record<string, TaskAction>>;
  onAction: (action: TaskAction, taskName: string) => void;
}

/** Every task as a compact row, failing ones first. */
export function TaskList({ query, runs, pending, onAction }: TaskListProps) {
  const { t } = useTranslation();
  const tasks: Task[] = failingFirst(query.data?.tasks ?? []);
  return (
    <SectionCard id="background-tasks" title={t("tasks.title")} busy={query.isPending}>
      <QueryBoundary label={t("tasks.loadLabel")} query={query} isEmpty={tasks.length === 0} empty={t("tasks.empty")} skeletonRows={5}>
        <Box component="ul" aria-label={t("tasks.listLabel")} sx={{ listStyle: "none", p: 0, m: 0 }}>
          {tasks.map((task) => (
            <TaskItem key={task.task_name} task={task} runs={runs[task.task_name]} pending={pending[task.task_name]} onAction={onAction} />
          ))}
        </Box>
      </QueryBoundary>
    </SectionCard>
  );
}
