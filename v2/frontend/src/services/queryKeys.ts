/**
 * The single query- and mutation-key factory. Hooks build keys here and invalidate through it;
 * nothing else writes key arrays by hand.
 */
import type { ActivityFilters } from "./activity";

export const queryKeys = {
  activity: {
    all: ["activity"] as const,
    lists: () => [...queryKeys.activity.all, "list"] as const,
    list: (filters: ActivityFilters) => [...queryKeys.activity.lists(), filters] as const,
    histograms: () => [...queryKeys.activity.all, "histogram"] as const,
    histogram: (filters: ActivityFilters) => [...queryKeys.activity.histograms(), filters] as const,
  },
  tasks: {
    all: ["background-tasks"] as const,
    status: () => [...queryKeys.tasks.all, "status"] as const,
    run: () => [...queryKeys.tasks.all, "run"] as const,
    pause: () => [...queryKeys.tasks.all, "pause"] as const,
    resume: () => [...queryKeys.tasks.all, "resume"] as const,
  },
  streams: {
    all: ["streams"] as const,
    active: () => [...queryKeys.streams.all, "active"] as const,
  },
  warp: {
    all: ["warp"] as const,
    status: () => [...queryKeys.warp.all, "status"] as const,
  },
  dashboardConfig: {
    all: ["config", "dashboard"] as const,
    update: () => [...queryKeys.dashboardConfig.all, "update"] as const,
  },
};
