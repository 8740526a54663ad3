import { useTheme } from "@mui/material/styles";
import { useTranslation } from "react-i18next";
import type { StreamSample } from "../api/streams";
import { useLocale } from "../i18n/useLocale";
import { speedRange, sparklinePath, speedPoints } from "../utils/sparkline";

export interface SparklineProps {
  samples: readonly StreamSample[];
  /** The window the samples cover, in words: "last hour". */
  window: string;
}

const WIDTH = 120;
const HEIGHT = 24;

/** Download speed over the window as a line, named for screen readers by its range. */
export function Sparkline({ samples, window }: SparklineProps) {
  const theme = useTheme();
  const { t } = useTranslation();
  const locale = useLocale();
  const points = speedPoints(samples);
  const range = speedRange(points, locale);
  const label = range === null ? t("streamHistory.speed.none", { window }) : t("streamHistory.speed.range", { window, range });
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} preserveAspectRatio="none">
      <title>{label}</title>
      <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} stroke={theme.palette.divider} />
      {points.length > 0 && (
        <polyline
          points={sparklinePath(points, WIDTH, HEIGHT)}
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={1.5}
          vectorEffect="non-scaling-stroke"
          strokeLinejoin="round"
        />
      )}
    </svg>
  );
}
