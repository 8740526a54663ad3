import Box from "@mui/material/Box";
import { useTheme } from "@mui/material/styles";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { StreamHistory } from "../api/streams";
import { useNow } from "../hooks/useNow";
import { useLocale } from "../i18n/useLocale";
import { niceScale } from "../utils/chartScale";
import { formatBucketStart, timeTicks } from "../utils/histogram";
import { concurrencyBars } from "../utils/streamHistory";
import { formatCount } from "../utils/units";
import { axisCharsFor, BAR_WIDTH, BarChartFrame } from "./BarChartFrame";

export interface ConcurrentStreamsChartProps {
  history: StreamHistory;
  days: number;
}

const HEIGHT = 96;

/** The most streams playing at once per hour or day of the period, in the activity chart's frame. */
export function ConcurrentStreamsChart({ history, days }: ConcurrentStreamsChartProps) {
  const theme = useTheme();
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const bars = useMemo(() => concurrencyBars(history, days, now), [history, days, now]);
  const hourly = history.bucket_seconds < 86_400;
  const max = Math.max(1, ...bars.map((b) => b.streams));
  const scale = niceScale(max);
  const playing = bars.filter((b) => b.streams > 0).length;
  const summary = t("streamHistory.chart.summary", {
    unit: t(hourly ? "chart.unit.hour" : "chart.unit.day"),
    bars: formatCount(bars.length, locale),
    max: formatCount(max, locale),
    playing: formatCount(playing, locale),
  });
  const describe = (index: number) => {
    const bar = bars[index];
    if (!bar) return null;
    return (
      <>
        <Box component="span" sx={{ fontWeight: "bold", display: "block" }}>
          {formatBucketStart(bar.start, hourly, locale)}
        </Box>
        {bar.streams === 0
          ? t("streamHistory.chart.nothing")
          : t("streamHistory.chart.bar", {
              streams: t("streamHistory.chart.streams", { count: bar.streams, formatted: formatCount(bar.streams, locale) }),
              clients: t("streamHistory.chart.clients", { count: bar.clients, formatted: formatCount(bar.clients, locale) }),
            })}
      </>
    );
  };
  return (
    <BarChartFrame
      height={HEIGHT}
      scale={scale}
      columns={bars.length}
      summary={summary}
      xTicks={timeTicks(bars.map((b) => b.start), hourly, locale)}
      note={hourly ? undefined : t("chart.utcDays")}
      axisChars={axisCharsFor(scale, locale)}
      describe={describe}
    >
      {bars.map((bar, i) => {
        const h = (bar.streams / scale.top) * HEIGHT;
        return bar.streams > 0 ? <rect key={bar.start} x={i * BAR_WIDTH + 1} y={HEIGHT - h} width={BAR_WIDTH - 2} height={h} fill={theme.palette.primary.main} /> : null;
      })}
    </BarChartFrame>
  );
}
