import { createContext } from "react";

/** Pixels, or pixels per breakpoint (`{ xs: 1300, md: 800 }`). */
export type SkeletonHeight = number | Partial<Record<"xs" | "sm" | "md" | "lg" | "xl", number>>;

/**
 * Each section's loaded height below its title (by its SectionCard id), so its loading skeleton takes
 * that room and nothing below moves when the data arrives: a 5-row skeleton that became 1 314 px of
 * tasks made a layout shift of 0.555. Measured in Chromium at 375 (xs) and 1440 px (md) by
 * e2e/glance.mjs (glance-heights.json, less the card's 24 px bottom padding; the tasks and the
 * notifications again on 2026-12-02 after their compact rows and message list). A section missing
 * here shows a few skeleton rows.
 */
export const SKELETON_HEIGHTS: Partial<Record<string, SkeletonHeight>> = {
  // On a phone, one stream playing (412 px, bench/lighthouse's page): the 386 px measured with acexy down
  // and the engine up left a gap that closed ~4 s later, moving the WARP card up into view (CLS 0.046).
  "active-streams": { xs: 174, md: 270 },
  "warp-status": { xs: 120, md: 120 },
  "background-tasks": { xs: 1162, md: 414 },
  "stream-history": { xs: 160, md: 80 },
  uptime: { xs: 1047, md: 751 },
  notifications: { xs: 265, md: 150 },
  "activity-chart": { xs: 420, md: 312 },
  "activity-log": { xs: 512, md: 262 },
};

/** The id of the SectionCard around a QueryBoundary, so the boundary finds its skeleton's height. */
export const SectionIdContext = createContext<string | null>(null);
