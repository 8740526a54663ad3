import Box from "@mui/material/Box";
import { useTheme } from "@mui/material/styles";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import { useLocale } from "../i18n/useLocale";
import { niceScale, type ChartScale } from "../utils/chartScale";
import { PROBLEM_LEVELS, totalsByLevel, type FilledBucket, type ProblemLevel } from "../utils/histogram";
import { formatCount } from "../utils/units";
import { BAR_WIDTH, BarChartFrame } from "./BarChartFrame";

export interface ProblemTrackProps {
  buckets: FilledBucket[];
  /** "hour" or "day", in the page's language. */
  unit: string;
  /** The bucket's time as the chart labels it. */
  labelOf: (bucket: FilledBucket) => string;
  /** The value labels' width, the same as the chart's above so the bars line up. */
  axisChars: number;
}

const HEIGHT = 32;

/** The track's own scale: 0 and a round top at or above the busiest bucket of problems. */
export function problemScale(buckets: readonly FilledBucket[]): ChartScale {
  return niceScale(Math.max(1, ...buckets.map((b) => b.problems)), 1);
}

/**
 * Warnings and errors per bucket on a track of their own, scaled to the busiest bucket of problems
 * rather than of all rows, so that a few errors among thousands of rows still show.
 */
export function ProblemTrack({ buckets, unit, labelOf, axisChars }: ProblemTrackProps) {
  const theme = useTheme();
  const { t } = useTranslation();
  const locale = useLocale();
  const colours: Record<ProblemLevel, string> = { error: theme.palette.error.main, warning: theme.palette.warning.main };
  const totals = totalsByLevel(buckets);
  const max = Math.max(1, ...buckets.map((b) => b.problems));
  const scale = problemScale(buckets);
  const levelCount = (level: ProblemLevel, count: number) => t(`chart.problems.${level}`, { count, formatted: formatCount(count, locale) });
  const summary = t("chart.problems.summary", {
    unit,
    max: formatCount(max, locale),
    errors: levelCount("error", totals.error),
    warnings: levelCount("warning", totals.warning),
  });
  const describe = (index: number) => {
    const bucket = buckets[index];
    if (!bucket) return null;
    const parts = PROBLEM_LEVELS.filter((level) => bucket.levels[level]).map((level) => levelCount(level, bucket.levels[level] ?? 0));
    return (
      <>
        <Box component="span" sx={{ fontWeight: "bold", display: "block" }}>
          {labelOf(bucket)}
        </Box>
        {parts.length ? parts.join(", ") : t("chart.problems.none")}
      </>
    );
  };
  return (
    <Box sx={{ mt: 1 }}>
      <BarChartFrame height={HEIGHT} scale={scale} columns={buckets.length} summary={summary} axisChars={axisChars} describe={describe}>
        {buckets.map((bucket, i) => {
          let y = HEIGHT;
          return (
            <g key={bucket.start}>
              {PROBLEM_LEVELS.map((level) => {
                const n = bucket.levels[level] ?? 0;
                if (!n) return null;
                const h = (n / scale.top) * HEIGHT;
                y -= h;
                return <rect key={level} x={i * BAR_WIDTH + 1} y={y} width={BAR_WIDTH - 2} height={h} fill={colours[level]} />;
              })}
            </g>
          );
        })}
      </BarChartFrame>
      <Box component="ul" aria-label={t("chart.problems.listLabel")} sx={{ listStyle: "none", p: 0, m: 0, mt: 1, display: "flex", flexWrap: "wrap", gap: 2 }}>
        {PROBLEM_LEVELS.map((level) => (
          <Box component="li" key={level} sx={{ display: "flex", alignItems: "center", gap: 0.75 }}>
            <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, bgcolor: colours[level] }} />
            <Typography variant="body2">{t(`chart.problems.total.${level}`, { value: formatCount(totals[level], locale) })}</Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
