import { describe, expect, it } from "vitest";
import { translationResources } from ".";

/** Every key path of a nested translation object, e.g. "tasks.runNow". */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

const resources = translationResources() as Record<string, { translation: unknown }>;
const english = new Set(keyPaths(resources.en?.translation));
const sources = import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}", "!../testing/**"], {
  eager: true,
  query: "?raw",
  import: "default",
});

describe("translations", () => {
  it.each(Object.keys(resources).filter((language) => language !== "en"))("%s has exactly the English keys", (language) => {
    const other = new Set(keyPaths(resources[language]?.translation));
    expect([...english].filter((key) => !other.has(key))).toEqual([]);
    expect([...other].filter((key) => !english.has(key))).toEqual([]);
  });

  it("every literal key the page uses exists in English", () => {
    const missing: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const match of text.matchAll(/\bt\(\s*["']([\w.-]+)["']/g)) {
        const key = match[1] ?? "";
        const plural = ["zero", "one", "two", "few", "many", "other"].some((form) => english.has(`${key}_${form}`));
        if (!english.has(key) && !plural) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
