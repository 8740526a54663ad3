/**
 * The live activity stream (`/activity/stream`) feeding the query cache: new rows go to the top
 * of the log, the chart is refetched (throttled), and `status` events refetch the sections they
 * name. When the stream drops, the caller's polling takes over until it reconnects.
 */
import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { LIVE_HISTOGRAM_REFRESH_MS, LIVE_RECONNECT_DELAYS_MS, LIVE_RETRY_AFTER_CAP_MS } from "../config";
import { activityKeys, type Activity, type ActivityFilters, type ActivityPage } from "./activity";
import { ApiError, requestResponse } from "./client";
import { readEventStream, type ServerEvent } from "./eventStream";
import { streamKeys } from "./streams";
import { taskKeys } from "./tasks";
import { warpKeys } from "./warp";

/** `off`: auto-refresh is off; `paused`: the stream dropped, polling until it reconnects. */
export type LiveState = "off" | "connecting" | "live" | "paused";

/**
 * The data of an `event: status` (`ActivityStatusChange` in the service). Written here because
 * the generator does not read the stream's `itemSchema`.
 */
export interface StatusChange {
  changed: ("streams" | "warp" | "tasks")[];
}

const SECTION_KEYS: Record<StatusChange["changed"][number], readonly string[]> = {
  streams: streamKeys.all,
  warp: warpKeys.all,
  // A task's runs are read again when the list says one finished (useTaskRuns).
  tasks: taskKeys.status(),
};

type ActivityPages = InfiniteData<ActivityPage, string | null>;

/** The newest row id the log shows for `filters`, or null while it shows none. */
function newestListedId(queryClient: QueryClient, filters: ActivityFilters): number | null {
  const items = queryClient.getQueryData<ActivityPages>(activityKeys.list(filters))?.pages[0]?.items ?? [];
  return items.length ? Math.max(...items.map((a) => a.id)) : null;
}

/**
 * Put `activity` into the log for `filters`, in id order, unless a loaded page has it already.
 * The logs of other filters did not get the rows the stream left out for these: marked stale, they
 * refetch when shown.
 */
export function addLiveActivity(queryClient: QueryClient, filters: ActivityFilters, activity: Activity): void {
  void queryClient.invalidateQueries({ queryKey: activityKeys.lists(), refetchType: "none" });
  queryClient.setQueryData<ActivityPages>(activityKeys.list(filters), (data) => {
    const [first, ...rest] = data?.pages ?? [];
    if (!data || !first || data.pages.some((page) => page.items.some((a) => a.id === activity.id))) return data;
    const at = first.items.findIndex((a) => a.id < activity.id);
    const items = at === -1 ? [...first.items, activity] : [...first.items.slice(0, at), activity, ...first.items.slice(at)];
    return { ...data, pages: [{ ...first, items }, ...rest] };
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Keep the stream open for `filters` while `enabled`, reconnecting with backoff and resuming after
 * the newest row seen (`Last-Event-ID`), so no row is lost or shown twice. Status events are not
 * replayed, so the sections are refetched each time the stream opens.
 */
export function useActivityLive(filters: ActivityFilters, enabled: boolean): LiveState {
  const queryClient = useQueryClient();
  const { days, minLevel } = filters;
  const types = filters.types.join(",");
  const connection = enabled ? `${days}|${minLevel}|${types}` : null;
  const [state, setState] = useState<{ connection: string | null; state: LiveState }>({ connection: null, state: "off" });

  useEffect(() => {
    if (connection === null) return;
    const current: ActivityFilters = { days, minLevel, types: types ? (types.split(",") as ActivityFilters["types"]) : [] };
    const controller = new AbortController();
    const { signal } = controller;
    const report = (live: LiveState) => !signal.aborted && setState({ connection, state: live });
    let chartTimer: ReturnType<typeof setTimeout> | null = null;
    const refreshChart = () => {
      chartTimer ??= setTimeout(() => {
        chartTimer = null;
        void queryClient.invalidateQueries({ queryKey: activityKeys.histograms() });
      }, LIVE_HISTOGRAM_REFRESH_MS);
    };
    let lastId: number | null = null;
    const onEvent = (event: ServerEvent) => {
      if (signal.aborted) return;
      if (event.event === "activity") {
        const activity = JSON.parse(event.data) as Activity;
        lastId = Math.max(lastId ?? 0, activity.id);
        addLiveActivity(queryClient, current, activity);
        refreshChart();
      } else if (event.event === "status") {
        for (const section of (JSON.parse(event.data) as StatusChange).changed) {
          void queryClient.invalidateQueries({ queryKey: SECTION_KEYS[section] });
        }
      }
    };

    const run = async () => {
      for (let attempt = 0; !signal.aborted; ) {
        let retryAfterMs = 0;
        const listed = newestListedId(queryClient, current);
        const resumeAfter = lastId === null ? listed : Math.max(lastId, listed ?? 0);
        try {
          const response = await requestResponse("/activity/stream", {
            query: { type: current.types, min_level: minLevel },
            accept: "text/event-stream",
            headers: resumeAfter === null ? {} : { "Last-Event-ID": String(resumeAfter) },
            signal,
          });
          attempt = 0;
          report("live");
          for (const key of Object.values(SECTION_KEYS)) void queryClient.invalidateQueries({ queryKey: key });
          // Rows stored before the stream opened but after a log still loading read the database.
          if (resumeAfter === null) void queryClient.invalidateQueries({ queryKey: activityKeys.list(current) });
          if (response.body) await readEventStream(response.body, onEvent);
        } catch (error) {
          // Refused or dropped: polling takes over below, and the loop tries again, not before
          // the server asked (a full or stopping service answers 503 with Retry-After).
          retryAfterMs = error instanceof ApiError ? Math.min(error.retryAfterMs ?? 0, LIVE_RETRY_AFTER_CAP_MS) : 0;
        }
        report("paused");
        const backoff = LIVE_RECONNECT_DELAYS_MS[Math.min(attempt, LIVE_RECONNECT_DELAYS_MS.length - 1)] ?? 0;
        await pause(Math.max(backoff, retryAfterMs), signal);
        attempt += 1;
      }
    };
    void run();
    return () => {
      controller.abort();
      if (chartTimer !== null) clearTimeout(chartTimer);
    };
  }, [connection, days, minLevel, types, queryClient]);

  if (connection === null) return "off";
  return state.connection === connection ? state.state : "connecting";
}
