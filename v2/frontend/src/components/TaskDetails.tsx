import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import type { Task } from "../api/tasks";
import { showInvisible } from "../utils/text";
import type { LastRun } from "../utils/taskRuns";
import { formatDuration } from "../utils/time";
import { DetailList } from "./DetailList";
import { monospace } from "./labels";
import { OutsideText } from "./OutsideText";
import { RelativeTime } from "./RelativeTime";
import { TaskResult } from "./TaskResult";
import { useLocale } from "../i18n/useLocale";

export interface TaskDetailsProps {
  task: Task;
  /** The last finished run: its error, warnings or result, never an earlier run's. */
  last: LastRun | null;
}

const alertSx = { minWidth: 0, "& .MuiAlert-message": { minWidth: 0 } } as const;

/** A task's timings and counts, and what its last run ended with. */
export function TaskDetails({ task, last }: TaskDetailsProps) {
  const locale = useLocale();
  const { t } = useTranslation();
  const name = task.task_name;
  return (
    <Box sx={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr)", gap: 1.5, pt: 1.5 }}>
      <DetailList
        items={[
          { label: t("tasks.duration"), value: task.last_duration_seconds === null ? "—" : formatDuration(task.last_duration_seconds, locale) },
          { label: t("tasks.every"), value: formatDuration(task.interval_seconds, locale) },
          { label: t("tasks.runs"), value: t("tasks.runCount", { count: task.run_count, failed: task.failure_count }) },
          { label: t("tasks.lastSuccess"), value: <RelativeTime value={task.last_success} past fallback={t("tasks.noneYet")} /> },
        ]}
      />
      {last?.look === "error" && (
        <Alert severity="error" variant="outlined" sx={alertSx}>
          <AlertTitle>{t("tasks.lastRunFailed")}</AlertTitle>
          <Box sx={{ overflowWrap: "anywhere" }}>
            <OutsideText text={last.error ?? ""} />
          </Box>
          {last.trace && (
            <Box component="details" sx={{ mt: 1 }}>
              <summary>{t("tasks.stackTrace")}</summary>
              <Box component="pre" tabIndex={0} sx={{ ...monospace, m: 0, mt: 1, maxHeight: 240, overflow: "auto" }}>
                {showInvisible(last.trace)}
              </Box>
            </Box>
          )}
        </Alert>
      )}
      {last?.look === "interrupted" && (
        <Alert severity="warning" variant="outlined" sx={alertSx}>
          {t("tasks.lastRunInterrupted")}
        </Alert>
      )}
      {last && last.warnings.length > 0 && (
        <Alert severity="warning" variant="outlined" sx={alertSx}>
          <AlertTitle>{t("tasks.lastRunWarnings")}</AlertTitle>
          <Box component="ul" aria-label={t("tasks.warningsOf", { task: name })} sx={{ m: 0, pl: 2, overflowWrap: "anywhere" }}>
            {last.warnings.map((warning, index) => (
              <li key={index}>
                <OutsideText text={warning} />
              </li>
            ))}
          </Box>
        </Alert>
      )}
      {last?.result && Object.keys(last.result).length > 0 && (
        <Box>
          <Typography variant="subtitle2" component="p">
            {t("tasks.lastResult")}
          </Typography>
          <TaskResult result={last.result} />
        </Box>
      )}
    </Box>
  );
}
