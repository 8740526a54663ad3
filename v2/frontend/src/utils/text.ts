/**
 * Bidirectional overrides and isolates (U+202A–202E, U+2066–2069) reorder the text after them, and
 * zero-width characters (U+200B–200F, U+2060, U+FEFF) cannot be seen: in a value from outside (a
 * WARP detail, a peer's error, a scraped name, an exception message) either makes the page show
 * something other than what was sent.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/**
 * `text` with each override or zero-width character shown as a visible escape (`\u202E`), so a
 * value shows as it is. The page neutralises them here, at display, rather than where text enters
 * the service: every outside value reaches a person through the page, while the API keeps values
 * as they were sent (a right-to-left mark is legitimate in an Arabic channel name).
 */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** A 40-character content id as "3b0b9c7f…7e8f": enough to tell streams apart at a glance. */
export function shortId(id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 8)}…${id.slice(-4)}`;
}
