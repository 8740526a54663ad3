import Tooltip from "@mui/material/Tooltip";
import { useTranslation } from "react-i18next";
import { useNow } from "../hooks/useNow";
import { useLocale } from "../i18n/useLocale";
import { formatExact, formatRelative } from "../utils/time";

export interface RelativeTimeProps {
  /** ISO 8601; null shows `fallback`. */
  value: string | null;
  /** The instant is in the past (clamps clock skew to "just now"). */
  past?: boolean;
  /** Shown without a time; "never" unless given. */
  fallback?: string;
}

/** "5 minutes ago", with the exact local and UTC time on hover and for screen readers. */
export function RelativeTime({ value, past = false, fallback }: RelativeTimeProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  if (!value) return <span>{fallback ?? t("chart.time.never")}</span>;
  const words = { justNow: t("chart.time.justNow"), unknown: t("chart.time.unknown") };
  return (
    <Tooltip title={formatExact(value, locale)} describeChild>
      <time dateTime={value}>{formatRelative(value, now, past, locale, words)}</time>
    </Tooltip>
  );
}
