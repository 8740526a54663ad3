import ExpandLessIcon from "@mui/icons-material/ExpandLess";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import PauseIcon from "@mui/icons-material/Pause";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import ReplayIcon from "@mui/icons-material/Replay";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Collapse from "@mui/material/Collapse";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { memo, useState, type ReactElement } from "react";
import { useTranslation } from "react-i18next";
import type { Task, TaskAction, TaskRun } from "../api/tasks";
import { lastRun } from "../utils/taskRuns";
import { RelativeTime } from "./RelativeTime";
import { RunsStrip } from "./RunsStrip";
import { OverdueChip, TaskStatusChip, WarningsChip } from "./statusChips";
import { TaskDetails } from "./TaskDetails";
import { taskAnchorId } from "../utils/problems";

export interface TaskItemProps {
  task: Task;
  /** Newest first; undefined until loaded. */
  runs: readonly TaskRun[] | undefined;
  /** The action in flight for this task, if any. */
  pending: TaskAction | undefined;
  onAction: (action: TaskAction, taskName: string) => void;
}

/** 44 px touch targets on phones, the usual small buttons from md up. */
const buttonSx = { minHeight: { xs: 44, md: 32 } } as const;

/**
 * One task as a compact row (status, last and next run, its recent runs, actions) that expands to
 * its details. Memoised: a change of one task renders only its row.
 */
export const TaskItem = memo(function TaskItem({ task, runs, pending, onAction }: TaskItemProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const name = task.task_name;
  const detailsId = `task-${name}-details`;
  // While an action is in flight the buttons say so but stay enabled (aria-disabled): a disabled
  // button drops the keyboard focus to <body>.
  const button = (action: TaskAction, text: string, label: string, icon: ReactElement, primary = false) => (
    <Button
      size="small"
      variant={primary ? "contained" : "outlined"}
      aria-label={label}
      aria-disabled={pending !== undefined}
      onClick={() => {
        if (pending === undefined) onAction(action, name);
      }}
      startIcon={pending === action ? <CircularProgress size={16} color="inherit" /> : icon}
      sx={buttonSx}
    >
      {text}
    </Button>
  );
  // A degraded success replaces the green "Idle"; running or paused still say so.
  const showStatus = !(task.degraded && task.status === "idle");

  return (
    <Box component="li" id={taskAnchorId(name)} tabIndex={-1} sx={{ borderBottom: 1, borderColor: "divider", py: 1.5, minWidth: 0, "&:last-of-type": { borderBottom: 0 } }}>
      <Box
        sx={{
          display: "grid",
          alignItems: "center",
          gap: { xs: 1, md: 1.5 },
          gridTemplateColumns: { xs: "minmax(0, 1fr)", sm: "minmax(0, 1fr) auto", lg: "minmax(12rem, 1fr) minmax(0, 1.6fr) auto auto" },
          gridTemplateAreas: { xs: '"name" "times" "strip" "actions"', sm: '"name actions" "times strip"', lg: '"name times strip actions"' },
        }}
      >
        <Stack direction="row" useFlexGap sx={{ gridArea: "name", alignItems: "center", flexWrap: "wrap", gap: 1, minWidth: 0 }}>
          <Typography variant="h3" sx={{ overflowWrap: "anywhere" }}>
            {name}
          </Typography>
          {showStatus && <TaskStatusChip status={task.status} />}
          {task.degraded && <WarningsChip />}
          {task.overdue && <OverdueChip />}
        </Stack>
        <Stack direction="row" useFlexGap sx={{ gridArea: "times", flexWrap: "wrap", columnGap: 3, rowGap: 0.5, typography: "body2", color: "text.secondary" }}>
          <span>
            {t("tasks.lastRun")}{" "}
            <Box component="span" sx={{ color: "text.primary" }}>
              <RelativeTime value={task.last_run} past fallback={t("tasks.neverRun")} />
            </Box>
          </span>
          <span>
            {t("tasks.nextRun")}{" "}
            <Box component="span" sx={{ color: "text.primary" }}>
              {task.paused ? t("tasks.notWhilePaused") : <RelativeTime value={task.next_run} fallback={t("tasks.notScheduled")} />}
            </Box>
          </span>
        </Stack>
        <Box sx={{ gridArea: "strip", justifySelf: { sm: "end", lg: "start" } }}>
          <RunsStrip task={name} runs={runs} />
        </Box>
        <Stack direction="row" useFlexGap sx={{ gridArea: "actions", gap: 1, flexWrap: "wrap", justifyContent: { sm: "flex-end" } }}>
          {button("run", t("tasks.runNow"), t("tasks.runNowLabel", { task: name }), <PlayArrowIcon />, true)}
          {/* One button that changes between Pause and Resume, so the focus stays on it. */}
          {task.paused
            ? button("resume", t("tasks.resume"), t("tasks.resumeLabel", { task: name }), <ReplayIcon />)
            : button("pause", t("tasks.pause"), t("tasks.pauseLabel", { task: name }), <PauseIcon />)}
          <Button
            size="small"
            aria-label={t("tasks.detailsLabel", { task: name })}
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            onClick={() => setOpen(!open)}
            endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            sx={buttonSx}
          >
            {t("tasks.details")}
          </Button>
        </Stack>
      </Box>
      <Collapse in={open} unmountOnExit id={detailsId}>
        <TaskDetails task={task} last={lastRun(task, runs)} />
      </Collapse>
    </Box>
  );
});
