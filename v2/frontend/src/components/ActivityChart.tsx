import Box from "@mui/material/Box";
import { useTheme } from "@mui/material/styles";
import Typography from "@mui/material/Typography";
import { useMemo } from "react";
import { ACTIVITY_TYPES, type ActivityHistogram } from "../api/activity";
import { useNow } from "../hooks/useNow";
import { fillBuckets, formatBucketStart, totalsByType, type FilledBucket } from "../utils/histogram";
import { BAR_WIDTH, BarChartFrame } from "./BarChartFrame";
import { ACTIVITY_TYPE_LABELS } from "./labels";
import { ProblemTrack } from "./ProblemTrack";

export interface ActivityChartProps {
  histogram: ActivityHistogram;
  days: number;
}

const HEIGHT = 160;

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
  const summary = `Activity per ${hourly ? "hour" : "day"}, ${buckets.length} bars, busiest ${max} events: ${
    ACTIVITY_TYPES.filter((t) => totals[t]).map((t) => `${totals[t]} ${ACTIVITY_TYPE_LABELS[t].toLowerCase()}`).join(", ") || "none"
  }.`;
  const first = buckets[0];
  const last = buckets[buckets.length - 1];

  return (
    <Box>
      <BarChartFrame
        height={HEIGHT}
        max={max}
        columns={buckets.length}
        summary={summary}
        firstLabel={first ? formatBucketStart(first.start, hourly) : null}
        lastLabel={last ? formatBucketStart(last.start, hourly) : null}
      >
        {buckets.map((bucket, i) => {
          let y = HEIGHT;
          return (
            <g key={bucket.start}>
              <title>{`${formatBucketStart(bucket.start, hourly)}: ${describe(bucket)}`}</title>
              <rect x={i * BAR_WIDTH} y={0} width={BAR_WIDTH} height={HEIGHT} fill="transparent" />
              {ACTIVITY_TYPES.map((type) => {
                const n = bucket.counts[type] ?? 0;
                if (!n) return null;
                const h = (n / max) * (HEIGHT - 4);
                y -= h;
                return <rect key={type} x={i * BAR_WIDTH + 1} y={y} width={BAR_WIDTH - 2} height={h} fill={theme.palette.activity[type]} />;
              })}
            </g>
          );
        })}
      </BarChartFrame>
      <ProblemTrack buckets={buckets} unit={hourly ? "hour" : "day"} labelOf={(bucket) => formatBucketStart(bucket.start, hourly)} />
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
