/** Pure date formatting; `now` is always passed in so tests can pin it. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "long" });
const exactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const shortFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * "3 minutes ago", "in 2 hours"; under 10 s is "just now". With `past`, a time slightly ahead of
 * `now` (clock skew, the 15 s page clock) also reads "just now" rather than "in 12 seconds".
 */
export function formatRelative(iso: string, now: number, past = false): string {
  let seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return "unknown";
  if (past) seconds = Math.min(seconds, 0);
  if (Math.abs(seconds) < 10) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") {
      return relativeFormat.format(Math.trunc(seconds / size), unit);
    }
  }
  return "just now";
}

/** Local date and time, plus the UTC instant the server sent. */
export function formatExact(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${exactFormat.format(date)} (${date.toISOString().replace(".000Z", "Z")})`;
}

/** Compact local timestamp for table rows. */
export function formatShort(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortFormat.format(date);
}

export function formatClock(ms: number): string {
  return clockFormat.format(new Date(ms));
}

/** 0.4 → "0.4 s", 75 → "1 min 15 s", 3720 → "1 h 2 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(seconds < 10 ? 1 : 0))} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return s > 0 ? `${m} min ${s} s` : `${m} min`;
}
