import { showInvisible } from "./text";

/** Short human text for values of free-form JSON from outside (task results, WARP details). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return showInvisible(value) || "—";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    const primitive = value.every((item) => ["string", "number", "boolean"].includes(typeof item));
    return primitive && value.length <= 5 ? showInvisible(value.map(String).join(", ")) : `${value.length} items`;
  }
  return showInvisible(JSON.stringify(value));
}

/** Free-form JSON from outside (activity details), indented, with invisible characters shown. */
export function prettyJson(value: unknown): string {
  return showInvisible(JSON.stringify(value, null, 2));
}

/** "snake_case" → "Snake case". */
export function humanize(key: string): string {
  const spaced = key.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
