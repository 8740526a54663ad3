import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import { useTheme } from "@mui/material/styles";
import Typography from "@mui/material/Typography";
import { useMemo } from "react";
import { ACTIVITY_TYPES, type ActivityHistogram } from "../api/activity";
import { useNow } from "../hooks/useNow";
import { fillBuckets, totalsByType, type FilledBucket } from "../utils/histogram";
import { ACTIVITY_TYPE_LABELS } from "./labels";
import { ProblemTrack } from "./ProblemTrack";

export interface ActivityChartProps {
  histogram: ActivityHistogram;
  days: number;
}

const HEIGHT = 160;
const hourFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function bucketLabel(bucket: FilledBucket, hourly: boolean): string {
  return (hourly ? hourFormat : dayFormat).format(new Date(bucket.start));
}

function describe(bucket: FilledBucket): string {
  const parts = ACTIVITY_TYPES.filter((t) => bucket.counts[t]).map((t) => `${bucket.counts[t]} ${ACTIVITY_TYPE_LABELS[t].toLowerCase()}`);
  return parts.length ? parts.join(", ") : "no activity";
}

/**
 * Stacked bars of events per bucket and type, drawn in plain SVG, with warnings and errors on a
 * track of their own below; the legends carry the totals as text.
 */
export function ActivityChart({ histogram, days }: ActivityChartProps) {
  const theme = useTheme();
  const now = useNow();
  const buckets = useMemo(() => fillBuckets(histogram, days, now), [histogram, days, now]);
  const totals = totalsByType(buckets);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const hourly = histogram.bucket_seconds < 86_400;
  const width = Math.max(buckets.length, 1) * 10;
  const summary = `Activity per ${hourly ? "hour" : "day"}, ${buckets.length} bars, busiest ${max} events: ${
    ACTIVITY_TYPES.filter((t) => totals[t]).map((t) => `${totals[t]} ${ACTIVITY_TYPE_LABELS[t].toLowerCase()}`).join(", ") || "none"
  }.`;
  const first = buckets[0];
  const last = buckets[buckets.length - 1];

  return (
    <Box>
      <Stack direction="row" sx={{ gap: 1 }}>
        <Stack sx={{ justifyContent: "space-between", height: HEIGHT, typography: "caption", color: "text.secondary", textAlign: "right" }} aria-hidden>
          <span>{max}</span>
          <span>0</span>
        </Stack>
        <Box sx={{ flex: 1, minWidth: 0, borderLeft: 1, borderBottom: 1, borderColor: "divider" }}>
          <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" width="100%" height={HEIGHT}>
            {buckets.map((bucket, i) => {
              let y = HEIGHT;
              return (
                <g key={bucket.start}>
                  <title>{`${bucketLabel(bucket, hourly)}: ${describe(bucket)}`}</title>
                  <rect x={i * 10} y={0} width={10} height={HEIGHT} fill="transparent" />
                  {ACTIVITY_TYPES.map((type) => {
                    const n = bucket.counts[type] ?? 0;
                    if (!n) return null;
                    const h = (n / max) * (HEIGHT - 4);
                    y -= h;
                    return <rect key={type} x={i * 10 + 1} y={y} width={8} height={h} fill={theme.palette.activity[type]} />;
                  })}
                </g>
              );
            })}
          </svg>
        </Box>
      </Stack>
      {first && last && (
        <Stack direction="row" sx={{ justifyContent: "space-between", typography: "caption", color: "text.secondary", pl: 3 }} aria-hidden>
          <span>{bucketLabel(first, hourly)}</span>
          <span>{bucketLabel(last, hourly)}</span>
        </Stack>
      )}
      <ProblemTrack buckets={buckets} unit={hourly ? "hour" : "day"} labelOf={(bucket) => bucketLabel(bucket, hourly)} />
      <Box component="ul" aria-label="Totals by type" sx={{ listStyle: "none", p: 0, m: 0, mt: 1.5, display: "flex", flexWrap: "wrap", gap: 2 }}>
        {ACTIVITY_TYPES.map((type) => (
          <Box component="li" key={type} sx={{ display: "flex", alignItems: "center", gap: 0.75 }}>
            <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, bgcolor: theme.palette.activity[type] }} />
            <Typography variant="body2">
              {ACTIVITY_TYPE_LABELS[type]}: {totals[type] ?? 0}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
