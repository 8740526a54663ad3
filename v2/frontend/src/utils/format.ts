/** Short human text for values of free-form JSON (task results, WARP details). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value || "—";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    const primitive = value.every((item) => ["string", "number", "boolean"].includes(typeof item));
    return primitive && value.length <= 5 ? value.map(String).join(", ") : `${value.length} items`;
  }
  return JSON.stringify(value);
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** "snake_case" → "Snake case". */
export function humanize(key: string): string {
  const spaced = key.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
