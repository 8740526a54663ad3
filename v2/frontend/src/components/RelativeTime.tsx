import Tooltip from "@mui/material/Tooltip";
import { useNow } from "../hooks/useNow";
import { formatExact, formatRelative } from "../utils/time";

export interface RelativeTimeProps {
  /** ISO 8601; null shows `fallback`. */
  value: string | null;
  /** The instant is in the past (clamps clock skew to "just now"). */
  past?: boolean;
  fallback?: string;
}

/** "5 minutes ago", with the exact local and UTC time on hover and for screen readers. */
export function RelativeTime({ value, past = false, fallback = "never" }: RelativeTimeProps) {
  const now = useNow();
  if (!value) return <span>{fallback}</span>;
  const exact = formatExact(value);
  return (
    <Tooltip title={exact} describeChild>
      <time dateTime={value}>
        {formatRelative(value, now, past)}
      </time>
    </Tooltip>
  );
}
