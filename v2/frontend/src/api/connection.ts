/**
 * Whether the page reaches the service, read from every query in the cache, so one banner can say
 * what would otherwise fail once per section: the connection is lost (the server is not reached)
 * or the server wants an API token the person has not given.
 */
import { notifyManager, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useMemo, useSyncExternalStore } from "react";
import type { ApiError } from "./client";

export type Connection =
  | { state: "online" }
  /** `since`: when the newest data arrived (epoch ms), null if none ever did. */
  | { state: "lost"; since: number | null }
  | { state: "token" };

/** What `readConnection` needs of a query's state; TanStack's `QueryState` fits. */
export interface QueryOutcome {
  dataUpdatedAt: number;
  errorUpdatedAt: number;
  error: ApiError | null;
}

/**
 * No answer (status 0), or a proxy in front saying the service is gone (502, 504). A 503 is the
 * service itself answering (e.g. its database is down): that stays the section's own error.
 */
export function isConnectionError(error: ApiError): boolean {
  return error.status === 0 || error.status === 502 || error.status === 504;
}

/**
 * Lost when a query failed to reach the server after the newest data any query received (one
 * success means the server is back, though other sections have not refetched yet); token when a
 * read was refused with 401 (the prompt only lets a 401 through once the person cancelled it).
 */
export function readConnection(queries: readonly QueryOutcome[]): Connection {
  if (queries.some((query) => query.error?.status === 401)) return { state: "token" };
  const lastData = Math.max(0, ...queries.map((query) => query.dataUpdatedAt));
  const lost = queries.some((query) => query.error !== null && isConnectionError(query.error) && query.errorUpdatedAt > lastData);
  return lost ? { state: "lost", since: lastData || null } : { state: "online" };
}

/** Whether `error` is the one the page-level banner already tells. */
export function isCoveredBy(connection: Connection, error: ApiError): boolean {
  if (connection.state === "token") return error.status === 401;
  if (connection.state === "lost") return isConnectionError(error);
  return false;
}

function connectionStore(queryClient: QueryClient) {
  let current: Connection = { state: "online" };
  const read = (): Connection => {
    const next = readConnection(queryClient.getQueryCache().getAll().map((query) => query.state));
    // The same value keeps the same object, so React does not re-render on every cache event.
    if (JSON.stringify(next) !== JSON.stringify(current)) current = next;
    return current;
  };
  return {
    // Batched as TanStack batches its own hooks: a query added while another component renders
    // must not set this one's state in that render.
    subscribe: (listener: () => void) => queryClient.getQueryCache().subscribe(notifyManager.batchCalls(listener)),
    getSnapshot: read,
  };
}

/** The page's connection, re-read on every change in the query cache. */
export function useConnection(): Connection {
  const queryClient = useQueryClient();
  const store = useMemo(() => connectionStore(queryClient), [queryClient]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
