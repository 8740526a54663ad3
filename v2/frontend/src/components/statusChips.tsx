import CancelOutlined from "@mui/icons-material/CancelOutlined";
import CheckCircleOutlined from "@mui/icons-material/CheckCircleOutlined";
import ErrorOutlined from "@mui/icons-material/ErrorOutlined";
import HelpOutlined from "@mui/icons-material/HelpOutlined";
import HourglassEmptyOutlined from "@mui/icons-material/HourglassEmptyOutlined";
import InfoOutlined from "@mui/icons-material/InfoOutlined";
import LinkOffOutlined from "@mui/icons-material/LinkOffOutlined";
import PauseCircleOutlined from "@mui/icons-material/PauseCircleOutlined";
import ScheduleOutlined from "@mui/icons-material/ScheduleOutlined";
import SyncOutlined from "@mui/icons-material/SyncOutlined";
import WarningAmberOutlined from "@mui/icons-material/WarningAmberOutlined";
import type { ReactElement } from "react";
import { useTranslation } from "react-i18next";
import type { ActivityLevel } from "../api/activity";
import type { TaskStatus } from "../api/tasks";
import type { WarpState } from "../api/warp";
import { StatusChip, type Tone } from "./StatusChip";

/** `key` is the text's translation key under `status.`. */
interface Look {
  key: string;
  tone: Tone;
  icon: ReactElement;
}

const TASK: Record<TaskStatus, Look> = {
  pending: { key: "pending", tone: "default", icon: <HourglassEmptyOutlined /> },
  running: { key: "running", tone: "info", icon: <SyncOutlined /> },
  idle: { key: "idle", tone: "success", icon: <CheckCircleOutlined /> },
  error: { key: "error", tone: "error", icon: <ErrorOutlined /> },
  paused: { key: "paused", tone: "warning", icon: <PauseCircleOutlined /> },
};

const LEVEL: Record<ActivityLevel, Look> = {
  info: { key: "info", tone: "info", icon: <InfoOutlined /> },
  warning: { key: "warning", tone: "warning", icon: <WarningAmberOutlined /> },
  error: { key: "error", tone: "error", icon: <ErrorOutlined /> },
};

const WARP: Record<WarpState, Look> = {
  connected: { key: "connected", tone: "success", icon: <CheckCircleOutlined /> },
  connecting: { key: "connecting", tone: "info", icon: <SyncOutlined /> },
  disconnected: { key: "disconnected", tone: "warning", icon: <LinkOffOutlined /> },
  error: { key: "error", tone: "error", icon: <ErrorOutlined /> },
  unavailable: { key: "unavailable", tone: "default", icon: <HelpOutlined /> },
};

/** A value newer than this build (the backend added a state) still shows, as neutral text. */
function LookChip({ map, value }: { map: Record<string, Look>; value: string }) {
  const { t } = useTranslation();
  const look = (map as Partial<Record<string, Look>>)[value];
  if (!look) return <StatusChip label={value} tone="default" icon={<HelpOutlined />} />;
  return <StatusChip label={t(`status.${look.key}`)} tone={look.tone} icon={look.icon} />;
}

export function TaskStatusChip({ status }: { status: TaskStatus }) {
  return <LookChip map={TASK} value={status} />;
}

export function OverdueChip() {
  const { t } = useTranslation();
  return <StatusChip label={t("status.overdue")} tone="warning" icon={<ScheduleOutlined />} />;
}

/** A success with warnings: amber, never the green of a clean "Idle". */
export function WarningsChip() {
  const { t } = useTranslation();
  return <StatusChip label={t("status.warnings")} tone="warning" icon={<WarningAmberOutlined />} />;
}

/**
 * Working, but not wholly: amber. "Degraded" for a peer (acexy down, the engine still plays),
 * "Partial" for a run that succeeded with failed sources.
 */
export function DegradedChip({ kind }: { kind: "peer" | "run" }) {
  const { t } = useTranslation();
  return <StatusChip label={t(kind === "peer" ? "status.degraded" : "status.partial")} tone="warning" icon={<WarningAmberOutlined />} />;
}

/** A stream with no peers or no download for 2 minutes: amber, and said in words. */
export function StalledChip() {
  const { t } = useTranslation();
  return <StatusChip label={t("status.stalled")} tone="warning" icon={<WarningAmberOutlined />} />;
}

export function LevelChip({ level }: { level: ActivityLevel }) {
  return <LookChip map={LEVEL} value={level} />;
}

export function WarpChip({ status }: { status: WarpState }) {
  return <LookChip map={WARP} value={status} />;
}

export function AvailabilityChip({ available }: { available: boolean }) {
  const { t } = useTranslation();
  return available ? (
    <StatusChip label={t("status.up")} tone="success" icon={<CheckCircleOutlined />} />
  ) : (
    <StatusChip label={t("status.down")} tone="error" icon={<CancelOutlined />} />
  );
}
