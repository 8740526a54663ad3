import { api } from "./api";

export type WarpState = "connected" | "connecting" | "disconnected" | "error" | "unavailable";

export interface WarpStatus {
  status: WarpState;
  last_connected: string | null;
  error: string | null;
  details: Record<string, unknown>;
  checked_at: string | null;
}

export function getWarpStatus(signal?: AbortSignal): Promise<WarpStatus> {
  return api.get<WarpStatus>("/warp/status", undefined, signal);
}
