import Box from "@mui/material/Box";
import Tooltip from "@mui/material/Tooltip";
import { useTranslation } from "react-i18next";
import type { TaskRun } from "../api/tasks";
import { useNow } from "../hooks/useNow";
import { runLook, type RunLook } from "../utils/taskRuns";
import { formatDuration, formatRelative } from "../utils/time";
import { visuallyHidden } from "./labels";
import { useLocale } from "../i18n/useLocale";

const COLOUR: Record<RunLook, string> = {
  success: "success.main",
  degraded: "warning.main",
  error: "error.main",
  interrupted: "text.disabled",
};

export interface RunsStripProps {
  task: string;
  /** Newest first, as the service sends them; undefined while loading. */
  runs: readonly TaskRun[] | undefined;
}

/**
 * A task's recent runs as small cells, oldest left: the colour tells the outcome at a glance, and each
 * cell says it in words (outcome, when, duration) in a tooltip and to screen readers. Failed runs are
 * full height, successes shorter, so the outcome is not told by colour alone.
 */
export function RunsStrip({ task, runs }: RunsStripProps) {
  const locale = useLocale();
  const { t } = useTranslation();
  const now = useNow();
  if (!runs) return <Box sx={{ height: 20 }} />;
  if (runs.length === 0) {
    return (
      <Box component="span" sx={{ typography: "body2", color: "text.secondary" }}>
        {t("tasks.noRuns")}
      </Box>
    );
  }
  return (
    <Box component="ul" aria-label={t("tasks.recentRuns", { task })} sx={{ listStyle: "none", m: 0, p: 0, display: "flex", alignItems: "flex-end", gap: "3px", height: 20 }}>
      {[...runs].reverse().map((run) => {
        const look = runLook(run);
        const text = t("tasks.runSummary", {
          outcome: t(`tasks.outcome.${look}`),
          when: formatRelative(run.started_at, now, true),
          duration: formatDuration(run.duration_seconds, locale),
        });
        return (
          <Tooltip key={run.id} title={text} describeChild>
            <Box component="li" data-outcome={look} sx={{ width: 8, height: look === "success" ? 14 : 20, borderRadius: 0.5, bgcolor: COLOUR[look] }}>
              <Box component="span" sx={visuallyHidden}>
                {text}
              </Box>
            </Box>
          </Tooltip>
        );
      })}
    </Box>
  );
}
