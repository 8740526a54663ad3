/**
 * The streams acexy plays and what played before: `/streams/active`, `/streams/history` and
 * `/streams/{id}/samples`. Every key starts with `streamKeys.all`, so the live `status` event for
 * `streams` refetches the history and the sparklines along with the list.
 */
import { queryOptions, useQueries, useQuery, type UseQueryResult } from "@tanstack/react-query";
import { SPARKLINE_HOURS } from "../config";
import type { components } from "./api-types";
import { api, type ApiError } from "./client";

export type Stream = components["schemas"]["StreamRead"];
export type ActiveStreams = components["schemas"]["ActiveStreams"];
export type StreamChannel = components["schemas"]["StreamChannel"];

export type StreamSession = components["schemas"]["StreamSessionRead"];
export type ConcurrentBucket = components["schemas"]["ConcurrentBucket"];
export type StreamHistory = components["schemas"]["StreamHistory"];
export type StreamSample = components["schemas"]["StreamSample"];
export type StreamSamples = components["schemas"]["StreamSamples"];

export const streamKeys = {
  all: ["streams"] as const,
  active: () => [...streamKeys.all, "active"] as const,
  history: (days: number) => [...streamKeys.all, "history", days] as const,
  samples: (id: string, hours: number) => [...streamKeys.all, "samples", id, hours] as const,
};

export function getActiveStreams(signal?: AbortSignal): Promise<ActiveStreams> {
  return api.get<ActiveStreams>("/streams/active", undefined, signal);
}

export function getStreamHistory(days: number, signal?: AbortSignal): Promise<StreamHistory> {
  return api.get<StreamHistory>("/streams/history", { days }, signal);
}

export function getStreamSamples(id: string, hours: number, signal?: AbortSignal): Promise<StreamSamples> {
  return api.get<StreamSamples>(`/streams/${encodeURIComponent(id)}/samples`, { hours }, signal);
}

export function activeStreamsQueryOptions() {
  return queryOptions({
    queryKey: streamKeys.active(),
    queryFn: ({ signal }) => getActiveStreams(signal),
  });
}

export function useActiveStreams(refetchInterval: number | false) {
  return useQuery({ ...activeStreamsQueryOptions(), refetchInterval });
}

export function streamHistoryQueryOptions(days: number) {
  return queryOptions({
    queryKey: streamKeys.history(days),
    queryFn: ({ signal }) => getStreamHistory(days, signal),
  });
}

/** No placeholder from another period, for the reason `useActivityHistogram` gives. */
export function useStreamHistory(days: number, refetchInterval: number | false) {
  return useQuery({ ...streamHistoryQueryOptions(days), refetchInterval });
}

export function streamSamplesQueryOptions(id: string, hours: number) {
  return queryOptions({
    queryKey: streamKeys.samples(id, hours),
    queryFn: ({ signal }) => getStreamSamples(id, hours, signal),
  });
}

/** One stream's recent samples as a sparkline needs them: the samples, or why there are none. */
export interface SparklineData {
  samples: StreamSample[] | undefined;
  error: ApiError | null;
}

/**
 * The last `SPARKLINE_HOURS` of samples of each stream in `ids`, keyed by id. A stream that ended
 * between the list and its samples answers 404; its sparkline says so rather than failing the list.
 */
export function useStreamSparklines(ids: readonly string[], refetchInterval: number | false): Record<string, SparklineData> {
  return useQueries({
    queries: ids.map((id) => ({ ...streamSamplesQueryOptions(id, SPARKLINE_HOURS), refetchInterval })),
    combine: (results: UseQueryResult<StreamSamples>[]): Record<string, SparklineData> =>
      Object.fromEntries(ids.map((id, i) => [id, { samples: results[i]?.data?.samples, error: results[i]?.error ?? null }])),
  });
}
