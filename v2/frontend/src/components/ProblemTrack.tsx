import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import { useTheme } from "@mui/material/styles";
import Typography from "@mui/material/Typography";
import { PROBLEM_LEVELS, totalsByLevel, type FilledBucket, type ProblemLevel } from "../utils/histogram";

export interface ProblemTrackProps {
  buckets: FilledBucket[];
  /** "hour" or "day". */
  unit: string;
  /** The bucket's time as the chart labels it. */
  labelOf: (bucket: FilledBucket) => string;
}

const HEIGHT = 32;
export const PROBLEM_LEVEL_LABELS: Record<ProblemLevel, string> = { error: "Errors", warning: "Warnings" };

function describe(bucket: FilledBucket): string {
  const parts = PROBLEM_LEVELS.filter((l) => bucket.levels[l]).map((l) => `${bucket.levels[l]} ${PROBLEM_LEVEL_LABELS[l].toLowerCase()}`);
  return parts.length ? parts.join(", ") : "no problems";
}

/**
 * Warnings and errors per bucket on a track of their own, scaled to the busiest bucket of problems
 * rather than of all rows, so that a few errors among thousands of rows still show.
 */
export function ProblemTrack({ buckets, unit, labelOf }: ProblemTrackProps) {
  const theme = useTheme();
  const colours: Record<ProblemLevel, string> = { error: theme.palette.error.main, warning: theme.palette.warning.main };
  const totals = totalsByLevel(buckets);
  const max = Math.max(1, ...buckets.map((b) => b.problems));
  const width = Math.max(buckets.length, 1) * 10;
  const summary = `Warnings and errors per ${unit}, on their own scale, busiest ${max}: ${totals.error} errors, ${totals.warning} warnings.`;
  return (
    <Box sx={{ mt: 1 }}>
      <Stack direction="row" sx={{ gap: 1 }}>
        <Typography variant="caption" aria-hidden sx={{ color: "text.secondary", alignSelf: "center" }}>
          {max}
        </Typography>
        <Box sx={{ flex: 1, minWidth: 0, borderLeft: 1, borderBottom: 1, borderColor: "divider" }}>
          <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" width="100%" height={HEIGHT}>
            {buckets.map((bucket, i) => {
              let y = HEIGHT;
              return (
                <g key={bucket.start}>
                  <title>{`${labelOf(bucket)}: ${describe(bucket)}`}</title>
                  <rect x={i * 10} y={0} width={10} height={HEIGHT} fill="transparent" />
                  {PROBLEM_LEVELS.map((level) => {
                    const n = bucket.levels[level] ?? 0;
                    if (!n) return null;
                    const h = (n / max) * (HEIGHT - 2);
                    y -= h;
                    return <rect key={level} x={i * 10 + 1} y={y} width={8} height={h} fill={colours[level]} />;
                  })}
                </g>
              );
            })}
          </svg>
        </Box>
      </Stack>
      <Box component="ul" aria-label="Problems" sx={{ listStyle: "none", p: 0, m: 0, mt: 1, display: "flex", flexWrap: "wrap", gap: 2 }}>
        {PROBLEM_LEVELS.map((level) => (
          <Box component="li" key={level} sx={{ display: "flex", alignItems: "center", gap: 0.75 }}>
            <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, bgcolor: colours[level] }} />
            <Typography variant="body2">
              {PROBLEM_LEVEL_LABELS[level]}: {totals[level]}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
