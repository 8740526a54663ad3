/**
 * The fake backend's activity stream: each accepted request becomes a `StreamConnection` in
 * `db.streamConnections` that a test writes events to, in the service's wire format
 * (`app/api/event_stream.py`), and can drop.
 */
import type { Activity } from "../../api/activity";
import type { StatusChange } from "../../api/activityLive";

export interface StreamConnection {
  /** The request's `Last-Event-ID` header. */
  lastEventId: string | null;
  params: URLSearchParams;
  /** False once dropped or closed by the page. */
  open: boolean;
  sendActivity: (activity: Activity) => void;
  sendStatus: (change: StatusChange) => void;
  keepalive: () => void;
  /** End the answer, as a stopping service or a broken connection does. */
  drop: () => void;
}

const encoder = new TextEncoder();

/** A connection and the body of its answer. */
export function openStream(request: Request): { connection: StreamConnection; body: ReadableStream<Uint8Array> } {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  const write = (text: string) => {
    if (connection.open) controller?.enqueue(encoder.encode(text));
  };
  const connection: StreamConnection = {
    lastEventId: request.headers.get("Last-Event-ID"),
    params: new URL(request.url).searchParams,
    open: true,
    sendActivity: (activity) => write(`id: ${activity.id}\nevent: activity\ndata: ${JSON.stringify(activity)}\n\n`),
    sendStatus: (change) => write(`event: status\ndata: ${JSON.stringify(change)}\n\n`),
    keepalive: () => write(": keepalive\n\n"),
    drop: () => {
      if (!connection.open) return;
      connection.open = false;
      controller?.close();
    },
  };
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => {
      connection.open = false;
    },
  });
  // The page closing its connection aborts the request; the body is not always cancelled. A request
  // aborted before its answer (while the handler awaited) is closed from the start.
  if (request.signal.aborted) connection.drop();
  else request.signal.addEventListener("abort", () => connection.drop(), { once: true });
  return { connection, body };
}
