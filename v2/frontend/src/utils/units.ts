/**
 * Numbers as the page shows them, with the reader's thousands separators (Intl, in the page's
 * `locale`). Speeds come from the engine in KB/s (1 KB = 1 024 bytes, as the engine counts); from
 * 1 024 KB/s on they read in MB/s.
 */
import { numberFormat } from "./intl";

const MEGA = { minimumFractionDigits: 1, maximumFractionDigits: 1 } as const;

/** 12345 → "12,345" (en), "12.345" (es). */
export function formatCount(value: number, locale: string): string {
  return numberFormat(locale).format(value);
}

type SpeedUnit = "KB/s" | "MB/s";

function unitFor(kbps: number): SpeedUnit {
  return kbps >= 1024 ? "MB/s" : "KB/s";
}

function inUnit(kbps: number, unit: SpeedUnit, locale: string | undefined): string {
  return unit === "MB/s" ? numberFormat(locale, MEGA).format(kbps / 1024) : numberFormat(locale).format(Math.round(kbps));
}

/** 812 → "812 KB/s", 1229 → "1.2 MB/s". */
export function formatSpeed(kbps: number, locale: string): string {
  const unit = unitFor(kbps);
  return `${inUnit(kbps, unit, locale)} ${unit}`;
}

/** Both ends in the unit of the larger: (640, 900) → "640–900 KB/s"; equal ends read as one speed. */
export function formatSpeedRange(low: number, high: number, locale: string): string {
  const unit = unitFor(high);
  const [from, to] = [inUnit(low, unit, locale), inUnit(high, unit, locale)];
  return from === to ? `${to} ${unit}` : `${from}–${to} ${unit}`;
}
