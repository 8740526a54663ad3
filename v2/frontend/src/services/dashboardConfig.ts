import { FALLBACK_REFRESH_INTERVAL_SECONDS } from "../config";
import { api } from "./api";
import type { components } from "./api-types";

export type DashboardConfig = components["schemas"]["DashboardConfig"];
export type DashboardConfigUpdate = components["schemas"]["DashboardConfigUpdate"];

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
