import { api } from "./api";
import type { components } from "./api-types";

export type Stream = components["schemas"]["StreamRead"];
export type ActiveStreams = components["schemas"]["ActiveStreams"];

export function getActiveStreams(signal?: AbortSignal): Promise<ActiveStreams> {
  return api.get<ActiveStreams>("/streams/active", undefined, signal);
}
