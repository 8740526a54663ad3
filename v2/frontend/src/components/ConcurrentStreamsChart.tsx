import { useTheme } from "@mui/material/styles";
import { useMemo } from "react";
import type { StreamHistory } from "../api/streams";
import { useNow } from "../hooks/useNow";
import { formatBucketStart } from "../utils/histogram";
import { concurrencyBars, type ConcurrencyBar } from "../utils/streamHistory";
import { formatCount } from "../utils/units";
import { BAR_WIDTH, BarChartFrame } from "./BarChartFrame";

export interface ConcurrentStreamsChartProps {
  history: StreamHistory;
  days: number;
}

const HEIGHT = 96;

function describe(bar: ConcurrencyBar): string {
  if (bar.streams === 0) return "nothing playing";
  const streams = `${formatCount(bar.streams)} ${bar.streams === 1 ? "stream" : "streams"}`;
  return `${streams}, ${formatCount(bar.clients)} ${bar.clients === 1 ? "client" : "clients"} at most`;
}

/** The most streams playing at once per hour or day of the period, in the activity chart's frame. */
export function ConcurrentStreamsChart({ history, days }: ConcurrentStreamsChartProps) {
  const theme = useTheme();
  const now = useNow();
  const bars = useMemo(() => concurrencyBars(history, days, now), [history, days, now]);
  const hourly = history.bucket_seconds < 86_400;
  const max = Math.max(1, ...bars.map((b) => b.streams));
  const playing = bars.filter((b) => b.streams > 0).length;
  const unit = hourly ? "hour" : "day";
  const summary = `Concurrent streams per ${unit}, ${bars.length} bars: at most ${formatCount(max)} at once; something played in ${formatCount(playing)} of them.`;
  const first = bars[0];
  const last = bars[bars.length - 1];
  return (
    <BarChartFrame
      height={HEIGHT}
      max={max}
      columns={bars.length}
      summary={summary}
      firstLabel={first ? formatBucketStart(first.start, hourly) : null}
      lastLabel={last ? formatBucketStart(last.start, hourly) : null}
    >
      {bars.map((bar, i) => {
        const h = (bar.streams / max) * (HEIGHT - 4);
        return (
          <g key={bar.start}>
            <title>{`${formatBucketStart(bar.start, hourly)}: ${describe(bar)}`}</title>
            <rect x={i * BAR_WIDTH} y={0} width={BAR_WIDTH} height={HEIGHT} fill="transparent" />
            {bar.streams > 0 && <rect x={i * BAR_WIDTH + 1} y={HEIGHT - h} width={BAR_WIDTH - 2} height={h} fill={theme.palette.primary.main} />}
          </g>
        );
      })}
    </BarChartFrame>
  );
}
