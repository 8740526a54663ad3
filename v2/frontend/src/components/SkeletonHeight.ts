import { createContext } from "react";

/** Pixels, or pixels per breakpoint (`{ xs: 1300, md: 800 }`). */
export type SkeletonHeight = number | Partial<Record<"xs" | "sm" | "md" | "lg" | "xl", number>>;

/**
 * Each section's loaded height (by its SectionCard id) with the usual data, measured in Chromium at
 * 375 and 1440 px, so its loading skeleton takes that room and nothing below moves when the data
 * arrives: a 5-row skeleton that became 1 314 px of tasks made a layout shift of 0.555. A section
 * missing here shows a few skeleton rows.
 */
export const SKELETON_HEIGHTS: Partial<Record<string, SkeletonHeight>> = {
  "active-streams": { xs: 300, md: 300 },
  "warp-status": { xs: 150, md: 150 },
  "background-tasks": { xs: 1300, md: 800 },
  "stream-history": { xs: 400, md: 400 },
  uptime: { xs: 300, md: 300 },
  notifications: { xs: 200, md: 200 },
  "activity-chart": { xs: 300, md: 300 },
  "activity-log": { xs: 800, md: 600 },
};

/** The id of the SectionCard around a QueryBoundary, so the boundary finds its skeleton's height. */
export const SectionIdContext = createContext<string | null>(null);
