import { api } from "./api";

export interface Stream {
  id: string | null;
  infohash: string | null;
  clients: number | null;
}

export interface ActiveStreams {
  /** Null when no peer can tell (the engine alone cannot count). */
  count: number | null;
  source: "acexy" | "acestream" | null;
  available: boolean;
  checked_at: string | null;
  error: string | null;
  streams: Stream[];
  total_clients: number | null;
}

export function getActiveStreams(signal?: AbortSignal): Promise<ActiveStreams> {
  return api.get<ActiveStreams>("/streams/active", undefined, signal);
}
