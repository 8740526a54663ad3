/**
 * Pure date formatting through Intl in the page's `locale` (undefined: the browser's); `now` is
 * always passed in so tests can pin it.
 */
import { dateFormat, numberFormat, relativeFormat } from "./intl";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

const EXACT = { dateStyle: "medium", timeStyle: "medium" } as const;
const SHORT = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" } as const;
const CLOCK = { hour: "2-digit", minute: "2-digit", second: "2-digit" } as const;

/** The words `formatRelative` cannot take from Intl; the caller translates them. */
export interface RelativeWords {
  justNow: string;
  unknown: string;
}

const ENGLISH_WORDS: RelativeWords = { justNow: "just now", unknown: "unknown" };

/**
 * "3 minutes ago", "in 2 hours"; under 10 s is "just now". With `past`, a time slightly ahead of
 * `now` (clock skew, the 15 s page clock) also reads "just now" rather than "in 12 seconds".
 */
export function formatRelative(iso: string, now: number, past = false, locale = "en", words: RelativeWords = ENGLISH_WORDS): string {
  let seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return words.unknown;
  if (past) seconds = Math.min(seconds, 0);
  if (Math.abs(seconds) < 10) return words.justNow;
  const format = relativeFormat(locale, { numeric: "auto", style: "long" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return format.format(Math.trunc(seconds / size), unit);
  }
  return words.justNow;
}

/** Local date and time, plus the UTC instant the server sent. */
export function formatExact(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${dateFormat(locale, EXACT).format(date)} (${date.toISOString().replace(".000Z", "Z")})`;
}

/** Compact local timestamp for table rows. */
export function formatShort(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat(locale, SHORT).format(date);
}

export function formatClock(ms: number, locale: string): string {
  return dateFormat(locale, CLOCK).format(new Date(ms));
}

/** 0.4 → "0.4 s" ("0,4 s" in es), 75 → "1 min 15 s", 3720 → "1 h 2 min". */
export function formatDuration(seconds: number, locale: string): string {
  if (seconds < 60) return `${numberFormat(locale, { maximumFractionDigits: seconds < 10 ? 1 : 0 }).format(seconds)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return s > 0 ? `${m} min ${s} s` : `${m} min`;
}
