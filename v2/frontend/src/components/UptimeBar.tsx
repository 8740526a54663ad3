import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { UptimeBucket } from "../api/uptime";
import { formatBucket, formatRatio, stateClass, type StateClass } from "../utils/uptime";

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

const LEGEND: [StateClass, string][] = [
  ["up", "Up"],
  ["down", "Down (striped)"],
  ["paused", "Paused (lined)"],
  ["unknown", "Unknown (outlined)"],
];

export function bucketLabel(bucket: UptimeBucket, hourly: boolean): string {
  const incidents = bucket.incidents === 1 ? "1 incident" : `${bucket.incidents} incidents`;
  const ratio = bucket.uptime_ratio === null ? "no known time" : `${formatRatio(bucket.uptime_ratio)} up`;
  return `${formatBucket(bucket.date, hourly)}: ${ratio}, ${incidents}, worst ${bucket.worst}`;
}

export interface UptimeBarProps {
  /** Whose bar this is, for its accessible name. */
  name: string;
  buckets: UptimeBucket[];
  hourly: boolean;
}

/** One cell per bucket, coloured and patterned by its worst state; each focusable, with a tooltip. */
export function UptimeBar({ name, buckets, hourly }: UptimeBarProps) {
  return (
    <Box
      role="group"
      aria-label={`${name}, ${hourly ? "hour by hour" : "day by day"}`}
      sx={{ display: "grid", gridTemplateColumns: `repeat(${buckets.length}, minmax(0, 1fr))`, gap: "2px" }}
    >
      {buckets.map((bucket) => (
        <Tooltip key={bucket.date} title={bucketLabel(bucket, hourly)} enterTouchDelay={0} arrow>
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
  return (
    <Stack direction="row" useFlexGap component="ul" sx={{ flexWrap: "wrap", gap: 2, m: 0, p: 0, listStyle: "none" }}>
      {LEGEND.map(([state, label]) => (
        <Stack key={state} component="li" direction="row" sx={{ alignItems: "center", gap: 0.75 }}>
          <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, boxSizing: "border-box", ...CELL_STYLE[state] }} />
          <Typography variant="caption">{label}</Typography>
        </Stack>
      ))}
    </Stack>
  );
}
