/** How the page reads uptime states; the classes are the server's (`app/domain/uptime.py`). */

export type StateClass = "up" | "down" | "paused" | "unknown";

const UP_STATES = new Set(["up", "ok", "connected", "playing"]);

export function stateClass(state: string): StateClass {
  if (UP_STATES.has(state)) return "up";
  if (state === "paused" || state === "unknown") return state;
  // A stream that ended is not an outage: neither up nor down, as paused.
  if (state === "ended") return "paused";
  // WARP "unavailable": no warp-cli where the service runs, so WARP is not in use.
  if (state === "unavailable") return "unknown";
  return "down";
}

/** 0.99951 → "99.95 %" ("99,95 %" in Spanish), 1 → "100 %"; never rounds a ratio below 1 up to 100. */
export function formatPercent(ratio: number, locale: string): string {
  const percent = ratio === 1 ? 100 : Math.min(ratio * 100, 99.99);
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(percent)} %`;
}

// One formatter per language for every bucket: building one per call blocked the main thread ~1 s per render.
const dayMonthFormats = new Map<string, Intl.DateTimeFormat>();

function dayMonthFormat(locale: string): Intl.DateTimeFormat {
  let format = dayMonthFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
    dayMonthFormats.set(locale, format);
  }
  return format;
}

/** "2 Dec" for a day bucket, "2 Dec 09:00 UTC" for an hour bucket, in UTC (the buckets' own zone). */
export function formatBucket(iso: string, hourly: boolean, locale: string): string {
  const date = new Date(iso);
  const parts = dayMonthFormat(locale).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${part("day")} ${part("month").replace(/\.$/, "")}`;
  if (!hourly) return day;
  return `${day} ${String(date.getUTCHours()).padStart(2, "0")}:00 UTC`;
}

/** How long a state has held, to the minute: `underMinute`, "12 min", "2 h 5 min", "3 d 4 h". */
export function formatAge(seconds: number, underMinute: string): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return underMinute;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
