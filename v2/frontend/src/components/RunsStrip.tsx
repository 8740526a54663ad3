import Box from "@mui/material/Box";
import Paper from "@mui/material/Paper";
import { useTranslation } from "react-i18next";
import type { TaskRun } from "../api/tasks";
import { useNow } from "../hooks/useNow";
import { useRovingIndex } from "../hooks/useRovingIndex";
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

/** The tooltip hangs towards the row's inside: the strip sits at the row's right end from sm to lg. */
const TOOLTIP_SIDE = { left: { xs: 0, sm: "auto", lg: 0 }, right: { sm: 0, lg: "auto" } } as const;

export interface RunsStripProps {
  task: string;
  /** Newest first, as the service sends them; undefined while loading. */
  runs: readonly TaskRun[] | undefined;
}

/**
 * A task's recent runs as small cells, oldest left: the colour tells the outcome at a glance, and each
 * cell says it in words (outcome, when, duration) to screen readers and, on hover, tap or focus, in
 * one tooltip. Failed runs are full height, successes shorter, so the outcome is not told by colour
 * alone. The strip is one Tab stop whose arrow keys walk the runs (useRovingIndex).
 */
export function RunsStrip({ task, runs }: RunsStripProps) {
  if (!runs) return <Box sx={{ height: 20 }} />;
  return <Strip task={task} runs={runs} />;
}

function Strip({ task, runs }: { task: string; runs: readonly TaskRun[] }) {
  const locale = useLocale();
  const { t } = useTranslation();
  const now = useNow();
  const { active, setActive, focusProps } = useRovingIndex(runs.length);
  if (runs.length === 0) {
    return (
      <Box component="span" sx={{ typography: "body2", color: "text.secondary" }}>
        {t("tasks.noRuns")}
      </Box>
    );
  }
  const oldestFirst = [...runs].reverse();
  const describe = (run: TaskRun) =>
    t("tasks.runSummary", {
      outcome: t(`tasks.outcome.${runLook(run)}`),
      when: formatRelative(run.started_at, now, true),
      duration: formatDuration(run.duration_seconds, locale),
    });
  const shown = active === null ? undefined : oldestFirst[active];
  return (
    <Box
      {...focusProps}
      role="group"
      aria-label={t("tasks.exploreRuns", { task })}
      onPointerLeave={(event) => {
        if (event.currentTarget !== document.activeElement) setActive(null);
      }}
      sx={{ position: "relative", width: "fit-content", borderRadius: 0.5, "&:focus-visible": { outline: 2, outlineStyle: "solid", outlineColor: "primary.main", outlineOffset: 2 } }}
    >
      <Box component="ul" aria-label={t("tasks.recentRuns", { task })} sx={{ listStyle: "none", m: 0, p: 0, display: "flex", alignItems: "flex-end", gap: "3px", height: 20 }}>
        {oldestFirst.map((run, index) => {
          const look = runLook(run);
          return (
            <Box
              component="li"
              key={run.id}
              data-outcome={look}
              onPointerEnter={() => setActive(index)}
              onClick={() => setActive(index)}
              sx={{ width: 8, height: look === "success" ? 14 : 20, borderRadius: 0.5, bgcolor: COLOUR[look], outline: index === active ? 2 : 0, outlineStyle: "solid", outlineColor: "text.primary", outlineOffset: 1 }}
            >
              <Box component="span" sx={visuallyHidden}>
                {describe(run)}
              </Box>
            </Box>
          );
        })}
      </Box>
      <Box role="status" aria-live="polite" sx={{ position: "absolute", bottom: "calc(100% + 6px)", pointerEvents: "none", zIndex: 1, ...TOOLTIP_SIDE }}>
        {shown && (
          <Paper elevation={4} sx={{ px: 1, py: 0.5, typography: "caption", whiteSpace: "nowrap" }}>
            {describe(shown)}
          </Paper>
        )}
      </Box>
    </Box>
  );
}
