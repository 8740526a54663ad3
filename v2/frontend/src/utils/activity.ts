import type { Activity, ActivityPage } from "../services/activity";

/**
 * All loaded pages as one newest-first list. Keyset pages do not overlap, but a poll can land
 * between two page fetches; keeping the first copy of each id makes duplicates impossible.
 */
export function flattenActivityPages(pages: readonly ActivityPage[] | undefined): Activity[] | undefined {
  if (!pages) return undefined;
  const seen = new Set<number>();
  const items: Activity[] = [];
  for (const page of pages) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}
