import type { ActivityType } from "../api/activity";

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  scrape: "Scrape",
  background_task: "Background task",
  error: "Error",
  user_action: "User action",
  system_event: "System event",
  stream: "Stream",
  notification: "Notification",
};

/** Hides content visually but keeps it for screen readers. */
export const visuallyHidden = {
  border: 0,
  clip: "rect(0 0 0 0)",
  height: "1px",
  margin: "-1px",
  overflow: "hidden",
  padding: 0,
  position: "absolute",
  whiteSpace: "nowrap",
  width: "1px",
} as const;

export const monospace = {
  fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  fontSize: "0.8125rem",
} as const;
