/** What the stream history says over a period: concurrency per bucket and the most watched channels. */
import type { StreamHistory, StreamSession } from "../api/streams";
import { fillGrid } from "./histogram";

export interface ConcurrencyBar {
  /** Epoch milliseconds of the bucket start (UTC). */
  start: number;
  streams: number;
  clients: number;
}

/** One bar per bucket of the period, zero where nothing played (the server leaves those out). */
export function concurrencyBars(history: StreamHistory, days: number, now: number): ConcurrencyBar[] {
  const present = history.concurrent.map((b) => ({ start: Date.parse(b.start), streams: b.streams, clients: b.clients }));
  return fillGrid(history.bucket_seconds, days, now, present, (start) => ({ start, streams: 0, clients: 0 }));
}

export interface WatchedChannel {
  /** Our channel's name; null for a stream that is not one of ours. */
  name: string | null;
  /** The content id (or infohash) of its most recent session. */
  id: string | null;
  /** Watch time inside the period, summed over its sessions. */
  seconds: number;
  sessions: number;
}

/** The part of a session inside the period: a session that began before the period counts from its start. */
function secondsInPeriod(session: StreamSession, from: number): number {
  const before = Math.max(0, from - Date.parse(session.started_at)) / 1000;
  return Math.max(0, session.duration_seconds - (Number.isNaN(before) ? 0 : before));
}

/**
 * The `limit` channels watched longest over the period that begins at `from` (epoch ms), longest
 * first, ties by name. Sessions group by channel name, so the same channel under two ids (two
 * sources of one broadcast) counts once; a stream that is not one of ours groups by its id.
 * `sessions` is newest first, as the server sends it.
 */
export function mostWatched(sessions: readonly StreamSession[], from: number, limit = 5): WatchedChannel[] {
  const byKey = new Map<string, WatchedChannel>();
  for (const session of sessions) {
    const name = session.channel?.name ?? null;
    const id = session.id ?? session.infohash;
    const key = name !== null ? `name:${name}` : `id:${id ?? ""}`;
    const entry = byKey.get(key) ?? { name, id, seconds: 0, sessions: 0 };
    entry.seconds += secondsInPeriod(session, from);
    entry.sessions += 1;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .filter((channel) => channel.seconds > 0)
    .sort((a, b) => b.seconds - a.seconds || (a.name ?? a.id ?? "").localeCompare(b.name ?? b.id ?? ""))
    .slice(0, limit);
}

