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
import type { ActivityLevel } from "../api/activity";
import type { TaskStatus } from "../api/tasks";
import type { WarpState } from "../api/warp";
import { StatusChip, type Tone } from "./StatusChip";

interface Look {
  label: string;
  tone: Tone;
  icon: ReactElement;
}

const TASK: Record<TaskStatus, Look> = {
  pending: { label: "Pending", tone: "default", icon: <HourglassEmptyOutlined /> },
  running: { label: "Running", tone: "info", icon: <SyncOutlined /> },
  idle: { label: "Idle", tone: "success", icon: <CheckCircleOutlined /> },
  error: { label: "Error", tone: "error", icon: <ErrorOutlined /> },
  paused: { label: "Paused", tone: "warning", icon: <PauseCircleOutlined /> },
};

const LEVEL: Record<ActivityLevel, Look> = {
  info: { label: "Info", tone: "info", icon: <InfoOutlined /> },
  warning: { label: "Warning", tone: "warning", icon: <WarningAmberOutlined /> },
  error: { label: "Error", tone: "error", icon: <ErrorOutlined /> },
};

const WARP: Record<WarpState, Look> = {
  connected: { label: "Connected", tone: "success", icon: <CheckCircleOutlined /> },
  connecting: { label: "Connecting", tone: "info", icon: <SyncOutlined /> },
  disconnected: { label: "Disconnected", tone: "warning", icon: <LinkOffOutlined /> },
  error: { label: "Error", tone: "error", icon: <ErrorOutlined /> },
  unavailable: { label: "Unavailable", tone: "default", icon: <HelpOutlined /> },
};

/** A value newer than this build (the backend added a state) still shows, as neutral text. */
function look(map: Record<string, Look>, value: string): Look {
  return (map as Partial<Record<string, Look>>)[value] ?? { label: value, tone: "default", icon: <HelpOutlined /> };
}

export function TaskStatusChip({ status }: { status: TaskStatus }) {
  return <StatusChip {...look(TASK, status)} />;
}

export function OverdueChip() {
  return <StatusChip label="Overdue" tone="warning" icon={<ScheduleOutlined />} />;
}

/** A success with warnings: amber, never the green of a clean "Idle". */
export function WarningsChip() {
  return <StatusChip label="Warnings" tone="warning" icon={<WarningAmberOutlined />} />;
}

/** A stream with no peers or no download for 2 minutes: amber, and said in words. */
export function StalledChip() {
  return <StatusChip label="Stalled" tone="warning" icon={<WarningAmberOutlined />} />;
}

export function LevelChip({ level }: { level: ActivityLevel }) {
  return <StatusChip {...look(LEVEL, level)} />;
}

export function WarpChip({ status }: { status: WarpState }) {
  return <StatusChip {...look(WARP, status)} />;
}

export function AvailabilityChip({ available }: { available: boolean }) {
  return available ? (
    <StatusChip label="Up" tone="success" icon={<CheckCircleOutlined />} />
  ) : (
    <StatusChip label="Down" tone="error" icon={<CancelOutlined />} />
  );
}
