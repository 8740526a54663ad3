/**
 * Numbers as the page shows them, with the reader's thousands separators (Intl). Speeds come from
 * the engine in KB/s (1 KB = 1 024 bytes, as the engine counts); from 1 024 KB/s on they read in MB/s.
 */

const countFormat = new Intl.NumberFormat();
const megaFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

type SpeedUnit = "KB/s" | "MB/s";

function unitFor(kbps: number): SpeedUnit {
  return kbps >= 1024 ? "MB/s" : "KB/s";
}

function inUnit(kbps: number, unit: SpeedUnit): string {
  return unit === "MB/s" ? megaFormat.format(kbps / 1024) : countFormat.format(Math.round(kbps));
}

/** 812 → "812 KB/s", 1229 → "1.2 MB/s". */
export function formatSpeed(kbps: number): string {
  const unit = unitFor(kbps);
  return `${inUnit(kbps, unit)} ${unit}`;
}

/** Both ends in the unit of the larger: (640, 900) → "640–900 KB/s"; equal ends read as one speed. */
export function formatSpeedRange(low: number, high: number): string {
  const unit = unitFor(high);
  const [from, to] = [inUnit(low, unit), inUnit(high, unit)];
  return from === to ? `${to} ${unit}` : `${from}–${to} ${unit}`;
}
