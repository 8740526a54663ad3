import { api } from "./api";
import type { components } from "./api-types";

export type WarpStatus = components["schemas"]["WarpStatusRead"];
export type WarpState = WarpStatus["status"];

export function getWarpStatus(signal?: AbortSignal): Promise<WarpStatus> {
  return api.get<WarpStatus>("/warp/status", undefined, signal);
}
