import PauseIcon from "@mui/icons-material/Pause";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import ReplayIcon from "@mui/icons-material/Replay";
import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { ReactElement } from "react";
import type { Task, TaskAction } from "../api/tasks";
import { formatValue, humanize } from "../utils/format";
import { showInvisible } from "../utils/text";
import { formatDuration } from "../utils/time";
import { DetailList } from "./DetailList";
import { monospace } from "./labels";
import { OutsideText } from "./OutsideText";
import { RelativeTime } from "./RelativeTime";
import { OverdueChip, TaskStatusChip, WarningsChip } from "./statusChips";

export interface TaskItemProps {
  task: Task;
  /** The action in flight for this task, if any. */
  pending: TaskAction | undefined;
  onAction: (action: TaskAction, taskName: string) => void;
}

export function TaskItem({ task, pending, onAction }: TaskItemProps) {
  const name = task.task_name;
  const button = (action: TaskAction, text: string, label: string, icon: ReactElement, primary = false) => (
    <Button
      size="small"
      variant={primary ? "contained" : "outlined"}
      aria-label={label}
      disabled={pending !== undefined}
      onClick={() => onAction(action, name)}
      startIcon={pending === action ? <CircularProgress size={16} color="inherit" /> : icon}
    >
      {text}
    </Button>
  );
  // The warnings show in their own alert, not again among the result's values.
  const result = task.last_result ? Object.entries(task.last_result).filter(([key]) => key !== "warnings") : [];
  // A degraded success replaces the green "Idle"; running or paused still say so.
  const showStatus = !(task.degraded && task.status === "idle");

  return (
    <Box component="li" sx={{ border: 1, borderColor: "divider", borderRadius: 1, p: 2, minWidth: 0, display: "grid", gridTemplateColumns: "minmax(0, 1fr)", alignContent: "start", gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1 }}>
        <Typography variant="h3" sx={{ overflowWrap: "anywhere" }}>
          {name}
        </Typography>
        <Stack direction="row" useFlexGap sx={{ gap: 1, flexWrap: "wrap" }}>
          {showStatus && <TaskStatusChip status={task.status} />}
          {task.degraded && <WarningsChip />}
          {task.overdue && <OverdueChip />}
        </Stack>
      </Stack>
      <DetailList
        items={[
          { label: "Last run", value: <RelativeTime value={task.last_run} past fallback="Never run" /> },
          {
            label: "Next run",
            value: task.paused ? "Not while paused" : <RelativeTime value={task.next_run} fallback="Not scheduled" />,
          },
          { label: "Duration", value: task.last_duration_seconds === null ? "—" : formatDuration(task.last_duration_seconds) },
          { label: "Every", value: formatDuration(task.interval_seconds) },
          { label: "Runs", value: `${task.run_count} ${task.run_count === 1 ? "run" : "runs"}, ${task.failure_count} failed` },
          { label: "Last success", value: <RelativeTime value={task.last_success} past fallback="None yet" /> },
        ]}
      />
      {task.last_error && (
        <Alert severity="error" variant="outlined" sx={{ minWidth: 0, "& .MuiAlert-message": { minWidth: 0 } }}>
          <AlertTitle>Last error</AlertTitle>
          <Box sx={{ overflowWrap: "anywhere" }}>
            <OutsideText text={task.last_error} />
          </Box>
          {task.last_error_trace && (
            <Box component="details" sx={{ mt: 1 }}>
              <summary>Stack trace</summary>
              <Box component="pre" tabIndex={0} sx={{ ...monospace, m: 0, mt: 1, maxHeight: 240, overflow: "auto" }}>
                {showInvisible(task.last_error_trace)}
              </Box>
            </Box>
          )}
        </Alert>
      )}
      {task.degraded && (
        <Alert severity="warning" variant="outlined" sx={{ minWidth: 0, "& .MuiAlert-message": { minWidth: 0 } }}>
          <AlertTitle>The last run succeeded with warnings</AlertTitle>
          <Box component="ul" aria-label={`Warnings of ${name}`} sx={{ m: 0, pl: 2, overflowWrap: "anywhere" }}>
            {task.warnings.map((warning, index) => (
              <li key={index}>
                <OutsideText text={warning} />
              </li>
            ))}
          </Box>
        </Alert>
      )}
      {result.length > 0 && (
        <Box>
          <Typography variant="subtitle2" component="p">
            Last result
          </Typography>
          <DetailList items={result.map(([key, value]) => ({ label: humanize(key), value: formatValue(value) }))} />
        </Box>
      )}
      <Stack direction="row" useFlexGap sx={{ gap: 1, flexWrap: "wrap" }}>
        {button("run", "Run now", `Run now: ${name}`, <PlayArrowIcon />, true)}
        {task.paused
          ? button("resume", "Resume", `Resume ${name}`, <ReplayIcon />)
          : button("pause", "Pause", `Pause ${name}`, <PauseIcon />)}
      </Stack>
    </Box>
  );
}
