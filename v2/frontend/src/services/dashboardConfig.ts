import { FALLBACK_REFRESH_INTERVAL_SECONDS } from "../config";
import { api } from "./api";

export interface DashboardConfig {
  /** 0–30; 0 keeps only today (since 00:00 UTC). */
  retention_days: number;
  /** 10–600. */
  refresh_interval_seconds: number;
  auto_refresh_enabled: boolean;
}

export type DashboardConfigUpdate = Partial<DashboardConfig>;

export function getDashboardConfig(signal?: AbortSignal): Promise<DashboardConfig> {
  return api.get<DashboardConfig>("/config/dashboard", undefined, signal);
}

/** Send only the fields that change; the server answers with the full configuration. */
export function updateDashboardConfig(update: DashboardConfigUpdate): Promise<DashboardConfig> {
  return api.put<DashboardConfig>("/config/dashboard", update);
}

/**
 * The polling interval every section uses, in ms, or false for none. Auto-refresh off → false.
 * While the config loads → false (it answers first). If it cannot be loaded → the server's default,
 * so the page still recovers by itself when the backend comes back.
 */
export function refetchIntervalFrom(config: DashboardConfig | undefined, loadFailed = false): number | false {
  if (!config) return loadFailed ? FALLBACK_REFRESH_INTERVAL_SECONDS * 1000 : false;
  return config.auto_refresh_enabled ? config.refresh_interval_seconds * 1000 : false;
}
