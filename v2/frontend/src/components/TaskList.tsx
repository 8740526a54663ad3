import Box from "@mui/material/Box";
import type { Task, TaskAction, TaskList as TaskListData } from "../api/tasks";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";
import { TaskItem } from "./TaskItem";

export interface TaskListProps {
  query: SectionQuery<TaskListData>;
  /** Task name → action in flight. */
  pending: Partial<Record<string, TaskAction>>;
  onAction: (action: TaskAction, taskName: string) => void;
}

export function TaskList({ query, pending, onAction }: TaskListProps) {
  const tasks: Task[] = query.data?.tasks ?? [];
  return (
    <SectionCard id="background-tasks" title="Background tasks" busy={query.isPending}>
      <QueryBoundary
        label="background tasks"
        query={query}
        isEmpty={tasks.length === 0}
        empty="No background tasks are registered yet — scrape, EPG refresh, playlist and cleanup jobs appear here once the scheduler starts."
        skeletonRows={5}
      >
        <Box
          component="ul"
          aria-label="Background tasks"
          sx={{
            listStyle: "none",
            p: 0,
            m: 0,
            display: "grid",
            gap: 2,
            gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "repeat(2, minmax(0, 1fr))", xl: "repeat(3, minmax(0, 1fr))" },
          }}
        >
          {tasks.map((task) => (
            <TaskItem key={task.task_name} task={task} pending={pending[task.task_name]} onAction={onAction} />
          ))}
        </Box>
      </QueryBoundary>
    </SectionCard>
  );
}
