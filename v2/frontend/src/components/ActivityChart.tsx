import Box from "@mui/material/Box";
import { useTheme } from "@mui/material/styles";
import Typography from "@mui/material/Typography";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ACTIVITY_TYPES, type ActivityHistogram, type ActivityType } from "../api/activity";
import { useNow } from "../hooks/useNow";
import { useLocale } from "../i18n/useLocale";
import { niceScale } from "../utils/chartScale";
import { fillBuckets, formatBucketStart, timeTicks, totalsByType, type FilledBucket } from "../utils/histogram";
import { formatCount } from "../utils/units";
import { axisCharsFor, BAR_WIDTH, BarChartFrame } from "./BarChartFrame";
import { ProblemTrack, problemScale } from "./ProblemTrack";

export interface ActivityChartProps {
  histogram: ActivityHistogram;
  days: number;
}

const HEIGHT = 160;

/**
 * Stacked bars of events per bucket and type, drawn in plain SVG, with warnings and errors on a
 * track of their own below; the legends carry the totals as text.
 */
export function ActivityChart({ histogram, days }: ActivityChartProps) {
  const theme = useTheme();
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const buckets = useMemo(() => fillBuckets(histogram, days, now), [histogram, days, now]);
  const totals = totalsByType(buckets);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const scale = niceScale(max);
  const hourly = histogram.bucket_seconds < 86_400;
  const typeName = (type: ActivityType) => t(`chart.types.${type}`);
  const counted = (counts: Partial<Record<ActivityType, number>>) =>
    ACTIVITY_TYPES.filter((type) => counts[type])
      .map((type) => `${formatCount(counts[type] ?? 0, locale)} ${typeName(type).toLocaleLowerCase(locale)}`)
      .join(", ");
  const summary = t("chart.summary", {
    unit: t(hourly ? "chart.unit.hour" : "chart.unit.day"),
    bars: formatCount(buckets.length, locale),
    max: formatCount(max, locale),
    totals: counted(totals) || t("chart.none"),
  });
  const labelOf = (bucket: FilledBucket) => formatBucketStart(bucket.start, hourly, locale);
  const describe = (index: number) => {
    const bucket = buckets[index];
    if (!bucket) return null;
    return (
      <>
        <Box component="span" sx={{ fontWeight: "bold", display: "block" }}>
          {labelOf(bucket)}
        </Box>
        {bucket.total === 0
          ? t("chart.noActivity")
          : ACTIVITY_TYPES.filter((type) => bucket.counts[type]).map((type) => (
              <Box component="span" key={type} sx={{ display: "block" }}>
                {t("chart.typeCount", { type: typeName(type), value: formatCount(bucket.counts[type] ?? 0, locale) })}
              </Box>
            ))}
      </>
    );
  };
  const axisChars = Math.max(axisCharsFor(scale, locale), axisCharsFor(problemScale(buckets), locale));

  return (
    <Box>
      <BarChartFrame
        height={HEIGHT}
        scale={scale}
        columns={buckets.length}
        summary={summary}
        xTicks={timeTicks(buckets.map((b) => b.start), hourly, locale)}
        note={hourly ? undefined : t("chart.utcDays")}
        axisChars={axisChars}
        describe={describe}
      >
        {buckets.map((bucket, i) => {
          let y = HEIGHT;
          return (
            <g key={bucket.start} data-bucket={new Date(bucket.start).toISOString()}>
              {ACTIVITY_TYPES.map((type) => {
                const n = bucket.counts[type] ?? 0;
                if (!n) return null;
                const h = (n / scale.top) * HEIGHT;
                y -= h;
                return <rect key={type} x={i * BAR_WIDTH + 1} y={y} width={BAR_WIDTH - 2} height={h} fill={theme.palette.activity[type]} />;
              })}
            </g>
          );
        })}
      </BarChartFrame>
      <ProblemTrack buckets={buckets} unit={t(hourly ? "chart.unit.hour" : "chart.unit.day")} labelOf={labelOf} axisChars={axisChars} />
      <Box component="ul" aria-label={t("chart.totalsLabel")} sx={{ listStyle: "none", p: 0, m: 0, mt: 1.5, display: "flex", flexWrap: "wrap", gap: 2 }}>
        {ACTIVITY_TYPES.map((type) => (
          <Box component="li" key={type} sx={{ display: "flex", alignItems: "center", gap: 0.75 }}>
            <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, bgcolor: theme.palette.activity[type] }} />
            <Typography variant="body2">{t("chart.typeCount", { type: typeName(type), value: formatCount(totals[type] ?? 0, locale) })}</Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
