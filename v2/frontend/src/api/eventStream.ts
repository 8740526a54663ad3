/**
 * Server-Sent Events read from a `fetch` body. `EventSource` cannot send the Authorization header
 * that `API_READ_AUTH=true` needs, so the stream is fetched through the client and parsed here
 * (the parts of WHATWG HTML's "interpreting an event stream" the service uses: `event`, `data`,
 * `id`, comments; `retry` is ignored, the page keeps its own backoff).
 */

export interface ServerEvent {
  /** "message" when the event names none. */
  event: string;
  data: string;
  /** The last `id` the stream has set, or null. */
  id: string | null;
}

/** A parser fed decoded text in chunks of any size; it calls `onEvent` at each blank line. */
export function createEventParser(onEvent: (event: ServerEvent) => void): (chunk: string) => void {
  let pending = "";
  let data: string[] = [];
  let type = "";
  let id: string | null = null;
  const line = (text: string) => {
    if (text === "") {
      if (data.length) onEvent({ event: type || "message", data: data.join("\n"), id });
      data = [];
      type = "";
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? "" : text.slice(colon + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "event") type = value;
    else if (field === "id" && !value.includes("\0")) id = value;
  };
  return (chunk) => {
    pending += chunk;
    // A chunk ending in "\r" may be the first half of "\r\n": keep it until the next chunk.
    const end = pending.endsWith("\r") ? pending.length - 1 : pending.length;
    const lines = pending.slice(0, end).split(/\r\n|\r|\n/);
    pending = (lines.pop() ?? "") + pending.slice(end);
    lines.forEach(line);
  };
}

/** Read `body` to its end, calling `onEvent` for each event; rejects if the connection fails. */
export async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (event: ServerEvent) => void): Promise<void> {
  const feed = createEventParser(onEvent);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
}
