/** How the page reads uptime states; the classes are the server's (`app/domain/uptime.py`). */

export type StateClass = "up" | "down" | "paused" | "unknown";

const UP_STATES = new Set(["up", "ok", "connected", "playing"]);

export function stateClass(state: string): StateClass {
  if (UP_STATES.has(state)) return "up";
  if (state === "paused" || state === "unknown") return state;
  // WARP "unavailable": no warp-cli where the service runs, so WARP is not in use.
  if (state === "unavailable") return "unknown";
  return "down";
}

/** 0.99951 → "99.95 %", 1 → "100 %"; null (nothing known) → "no data". */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return "no data";
  const percent = ratio * 100;
  if (percent === 100) return "100 %";
  return `${Math.min(percent, 99.99).toFixed(2).replace(/\.?0+$/, "")} %`;
}

// One formatter for every bucket: `toLocaleString` built a new one per call, ~1 s of blocked main thread per render.
const utcMonth = new Intl.DateTimeFormat("en", { month: "short", timeZone: "UTC" });

/** "2 Dec" for a day bucket, "2 Dec 14:00" for an hour bucket, in UTC (the buckets' own zone). */
export function formatBucket(iso: string, hourly: boolean): string {
  const date = new Date(iso);
  const day = `${date.getUTCDate()} ${utcMonth.format(date)}`;
  if (!hourly) return day;
  return `${day} ${String(date.getUTCHours()).padStart(2, "0")}:00 UTC`;
}

/** How long a state has held, to the minute: "under a minute", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatAge(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
