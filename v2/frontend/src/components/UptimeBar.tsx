import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { UptimeBucket } from "../api/uptime";
import { useLocale } from "../i18n/useLocale";
import { formatBucket, formatPercent, stateClass, type StateClass } from "../utils/uptime";

/** Each state's fill: a colour and, so that colour is not the only cue, a pattern. */
const CELL_STYLE: Record<StateClass, Record<string, string>> = {
  up: { bgcolor: "success.main" },
  down: {
    bgcolor: "error.main",
    backgroundImage: "repeating-linear-gradient(45deg, transparent 0 3px, rgba(255,255,255,0.45) 3px 5px)",
  },
  paused: {
    bgcolor: "action.disabled",
    backgroundImage: "repeating-linear-gradient(0deg, transparent 0 4px, rgba(255,255,255,0.5) 4px 6px)",
  },
  unknown: { bgcolor: "transparent", border: "1px dashed", borderColor: "text.disabled" },
};

const LEGEND: StateClass[] = ["up", "down", "paused", "unknown"];

/** A state word in the page's language (an unknown word is shown as the server sent it). */
export function stateWord(t: TFunction, state: string): string {
  return t(`uptime.states.${state}`, { defaultValue: state });
}

export function bucketLabel(bucket: UptimeBucket, hourly: boolean, t: TFunction, locale: string): string {
  const ratio =
    bucket.uptime_ratio === null
      ? t("uptime.bucketNoKnown")
      : t("uptime.bucketUp", { ratio: formatPercent(bucket.uptime_ratio, locale) });
  return t("uptime.bucket", {
    when: formatBucket(bucket.date, hourly, locale),
    ratio,
    incidents: t("uptime.incidents", { count: bucket.incidents }),
    worst: stateWord(t, bucket.worst),
  });
}

export interface UptimeBarProps {
  /** Whose bar this is, for its accessible name. */
  name: string;
  buckets: UptimeBucket[];
  hourly: boolean;
}

/** One cell per bucket, coloured and patterned by its worst state; each focusable, with a tooltip. */
export function UptimeBar({ name, buckets, hourly }: UptimeBarProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Box
      role="group"
      aria-label={hourly ? t("uptime.barNameHourly", { name }) : t("uptime.barName", { name })}
      sx={{ display: "grid", gridTemplateColumns: `repeat(${buckets.length}, minmax(0, 1fr))`, gap: "2px" }}
    >
      {buckets.map((bucket) => (
        <Tooltip key={bucket.date} title={bucketLabel(bucket, hourly, t, locale)} enterTouchDelay={0} arrow>
          <Box
            component="span"
            role="img"
            tabIndex={0}
            sx={{
              height: 24,
              borderRadius: 0.5,
              boxSizing: "border-box",
              "&:focus-visible": { outline: "2px solid", outlineColor: "primary.main", outlineOffset: 1 },
              ...CELL_STYLE[stateClass(bucket.worst)],
            }}
          />
        </Tooltip>
      ))}
    </Box>
  );
}

export function UptimeLegend() {
  const { t } = useTranslation();
  return (
    <Stack direction="row" useFlexGap component="ul" sx={{ flexWrap: "wrap", gap: 2, m: 0, p: 0, listStyle: "none" }}>
      {LEGEND.map((state) => (
        <Stack key={state} component="li" direction="row" sx={{ alignItems: "center", gap: 0.75 }}>
          <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, boxSizing: "border-box", ...CELL_STYLE[state] }} />
          <Typography variant="caption">{t(`uptime.legend.${state}`)}</Typography>
        </Stack>
      ))}
    </Stack>
  );
}
