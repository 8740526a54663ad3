/**
 * Each section of the page reads its own queries, and is memoised on plain props: a poll, a live
 * event or a fetch starting anywhere re-renders only the section whose data changed, not the whole
 * page (a whole-page render cost 0.5–1.4 s of main thread on a loaded 2-core machine: Lighthouse's
 * blocking time, docs/performance.md). TanStack Query shares one fetch between a section and the
 * summary that reads the same query.
 * Each hands its card the query deferred (`useDeferredQuery`): the card renders at transition
 * priority, in slices.
 */
import Stack from "@mui/material/Stack";
import { memo, useState } from "react";
import {
  useActivityHistogram,
  useExportActivity,
  useRecentActivity,
  type ActivityFilters as Filters,
  type ExportFormat,
} from "../api/activity";
import { useUpdateDashboardConfig } from "../api/dashboardConfig";
import { useActiveStreams, useStreamHistory, useStreamSparklines } from "../api/streams";
import { useBackgroundTasks } from "../api/tasks";
import { useUptime } from "../api/uptime";
import { useWarpStatus } from "../api/warp";
import { ActivityLog } from "../components/ActivityLog";
import { ExportButtons } from "../components/ExportButtons";
import { RetentionControl } from "../components/RetentionControl";
import { StreamHistoryCard } from "../components/StreamHistoryCard";
import { StreamsCard } from "../components/StreamsCard";
import { WarpCard } from "../components/WarpCard";
import { DEFAULT_STREAM_HISTORY_DAYS, UPTIME_DAYS } from "../config";
import { useDeferredQuery } from "../hooks/useDeferredQuery";
import { saveFile } from "../utils/download";
import { ActivityChartCard, UptimeCard } from "./belowTheFold";
import { TasksPanel } from "./TasksPanel";

type Interval = number | false;

export const StreamsSection = memo(function StreamsSection({ refetchInterval }: { refetchInterval: Interval }) {
  const streams = useActiveStreams(refetchInterval);
  const playingIds = streams.data?.streams.flatMap((stream) => (stream.id === null ? [] : [stream.id])) ?? [];
  const sparklines = useStreamSparklines(playingIds, refetchInterval);
  return <StreamsCard query={useDeferredQuery(streams)} sparklines={sparklines} />;
});

export const WarpSection = memo(function WarpSection({ refetchInterval }: { refetchInterval: Interval }) {
  return <WarpCard query={useWarpStatus(refetchInterval)} />;
});

export const TasksSection = memo(function TasksSection({ refetchInterval }: { refetchInterval: Interval }) {
  return <TasksPanel query={useDeferredQuery(useBackgroundTasks(refetchInterval))} />;
});

export const StreamHistorySection = memo(function StreamHistorySection({
  refetchInterval,
  retentionDays,
}: {
  refetchInterval: Interval;
  retentionDays: number | undefined;
}) {
  const [days, setDays] = useState(DEFAULT_STREAM_HISTORY_DAYS);
  const history = useDeferredQuery(useStreamHistory(days, refetchInterval));
  return <StreamHistoryCard query={history} days={days} onDaysChange={setDays} retentionDays={retentionDays} />;
});

export const UptimeSection = memo(function UptimeSection({ refetchInterval }: { refetchInterval: Interval }) {
  return <UptimeCard query={useDeferredQuery(useUptime(UPTIME_DAYS, refetchInterval))} />;
});

export const ActivityChartSection = memo(function ActivityChartSection({ filters, refetchInterval }: { filters: Filters; refetchInterval: Interval }) {
  return <ActivityChartCard query={useDeferredQuery(useActivityHistogram(filters, refetchInterval))} days={filters.days} />;
});

export const ActivityLogSection = memo(function ActivityLogSection({
  filters,
  refetchInterval,
  retentionDays,
}: {
  filters: Filters;
  refetchInterval: Interval;
  retentionDays: number | undefined;
}) {
  const activity = useRecentActivity(filters, refetchInterval);
  const exportLog = useExportActivity();
  const saveRetention = useUpdateDashboardConfig();
  const onExport = (format: ExportFormat) =>
    exportLog.mutate({ filters, format }, { onSuccess: (file) => saveFile(file.blob, file.filename) });
  const retentionValue = saveRetention.isPending || saveRetention.isError ? saveRetention.variables.retention_days : retentionDays;
  return (
    <ActivityLog
      query={useDeferredQuery(activity)}
      filtered={{ types: filters.types.length > 0, problemsOnly: filters.minLevel !== "info" }}
      hasMore={activity.hasNextPage}
      loadingMore={activity.isFetchingNextPage}
      onLoadMore={() => void activity.fetchNextPage()}
      actions={
        <Stack direction="row" useFlexGap sx={{ alignItems: "center", flexWrap: "wrap", gap: 1.5 }}>
          <ExportButtons exporting={exportLog.isPending ? exportLog.variables.format : null} error={exportLog.error} onExport={onExport} />
          <RetentionControl
            value={retentionValue}
            saving={saveRetention.isPending}
            error={saveRetention.error}
            onSave={(days) => saveRetention.mutateAsync({ retention_days: days })}
          />
        </Stack>
      }
    />
  );
});
