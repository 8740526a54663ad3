import Box from "@mui/material/Box";
import Container from "@mui/material/Container";
import Stack from "@mui/material/Stack";
import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  useActivityHistogram,
  useExportActivity,
  useRecentActivity,
  type ActivityFilters as Filters,
  type ExportFormat,
} from "../api/activity";
import { useActivityLive } from "../api/activityLive";
import { isCoveredBy, useConnection } from "../api/connection";
import { refetchIntervalFrom, useDashboardConfig, useUpdateDashboardConfig } from "../api/dashboardConfig";
import { useActiveStreams, useStreamHistory, useStreamSparklines } from "../api/streams";
import { useBackgroundTasks } from "../api/tasks";
import { useUptime } from "../api/uptime";
import { useWarpStatus } from "../api/warp";
import { useTokenPromptControls } from "../auth/useTokenPrompt";
import { ActivityFilters } from "../components/ActivityFilters";
import { ActivityLog } from "../components/ActivityLog";
import { ConnectionBanner } from "../components/ConnectionBanner";
import { DashboardHeader } from "../components/DashboardHeader";
import { LiveStatus } from "../components/LiveStatus";
import { ExportButtons } from "../components/ExportButtons";
import { RefreshControls } from "../components/RefreshControls";
import { RetentionControl } from "../components/RetentionControl";
import { useRetry } from "../components/RetryContext";
import { StatusSummary } from "../components/StatusSummary";
import { StreamHistoryCard } from "../components/StreamHistoryCard";
import { StreamsCard } from "../components/StreamsCard";
import { WarpCard } from "../components/WarpCard";
import { ActivityChartCard, NotificationsPanel, UptimeCard } from "./belowTheFold";
import { TasksPanel } from "./TasksPanel";
import { DEFAULT_ACTIVITY_DAYS, DEFAULT_STREAM_HISTORY_DAYS, UPTIME_DAYS } from "../config";
import { useTabStatus } from "../hooks/useTabStatus";
import { saveFile } from "../utils/download";
import { findProblems } from "../utils/problems";

/** The whole page: every fetch happens here; the components only render what they are given. */
export function Dashboard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const retry = useRetry();
  const tokenPrompt = useTokenPromptControls();
  const connection = useConnection();
  const [filters, setFilters] = useState<Filters>({ days: DEFAULT_ACTIVITY_DAYS, types: [], minLevel: "info" });
  const [streamDays, setStreamDays] = useState(DEFAULT_STREAM_HISTORY_DAYS);

  const config = useDashboardConfig();
  const refetchInterval = refetchIntervalFrom(config.data, config.isError);
  const live = useActivityLive(filters, config.data?.auto_refresh_enabled ?? false);
  // While the stream is open it brings the log's rows and the chart's refetches.
  const activityInterval = live === "live" ? false : refetchInterval;
  const activity = useRecentActivity(filters, activityInterval);
  const histogram = useActivityHistogram(filters, activityInterval);
  const tasks = useBackgroundTasks(refetchInterval);
  const streams = useActiveStreams(refetchInterval);
  const playingIds = streams.data?.streams.flatMap((stream) => (stream.id === null ? [] : [stream.id])) ?? [];
  const sparklines = useStreamSparklines(playingIds, refetchInterval);
  const streamHistory = useStreamHistory(streamDays, refetchInterval);
  const warp = useWarpStatus(refetchInterval);
  const uptime = useUptime(UPTIME_DAYS, refetchInterval);
  const saveRefresh = useUpdateDashboardConfig();
  const saveRetention = useUpdateDashboardConfig();
  const exportLog = useExportActivity();
  const fetching = useIsFetching() > 0;
  const glance = findProblems({ tasks: tasks.data, streams: streams.data, warp: warp.data });
  useTabStatus(glance);

  const sources = [config, activity, histogram, tasks, streams, streamHistory, warp];
  const lastUpdated = Math.max(0, ...sources.map((q) => q.dataUpdatedAt)) || null;

  const onExport = (format: ExportFormat) =>
    exportLog.mutate({ filters, format }, { onSuccess: (file) => saveFile(file.blob, file.filename) });
  const refreshAll = () => void retry(() => queryClient.invalidateQueries());
  const retentionValue =
    saveRetention.isPending || saveRetention.isError ? saveRetention.variables.retention_days : config.data?.retention_days;

  return (
    <Container component="main" maxWidth="xl" sx={{ py: { xs: 2, md: 3 }, px: { xs: 1.5, sm: 3 } }}>
      <DashboardHeader>
        <RefreshControls
          config={config.data}
          saving={saveRefresh.isPending}
          error={saveRefresh.error}
          loadError={config.error && !isCoveredBy(connection, config.error) ? config.error : null}
          onRetryLoad={() => void retry(config.refetch)}
          lastUpdated={lastUpdated}
          stale={connection.state !== "online"}
          refreshing={fetching}
          onAutoRefreshChange={(enabled) => saveRefresh.mutate({ auto_refresh_enabled: enabled })}
          onIntervalChange={(seconds) => saveRefresh.mutate({ refresh_interval_seconds: seconds })}
          onRefresh={refreshAll}
        />
        <LiveStatus state={live} pollSeconds={refetchInterval === false ? null : refetchInterval / 1000} />
      </DashboardHeader>
      <Box sx={{ display: "grid", gap: { xs: 2, md: 3 }, gridTemplateColumns: "minmax(0, 1fr)" }}>
        <ConnectionBanner connection={connection} polling={refetchInterval !== false} onRetry={refreshAll} onEnterToken={tokenPrompt.open} />
        <StatusSummary glance={glance} stale={connection.state !== "online"} />
        <Box sx={{ display: "grid", gap: { xs: 2, md: 3 }, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "repeat(2, minmax(0, 1fr))" } }}>
          <StreamsCard query={streams} sparklines={sparklines} />
          <WarpCard query={warp} />
        </Box>
        <TasksPanel query={tasks} refetchInterval={refetchInterval} />
        <StreamHistoryCard query={streamHistory} days={streamDays} onDaysChange={setStreamDays} retentionDays={config.data?.retention_days} />
        <UptimeCard query={uptime} />
        <NotificationsPanel refetchInterval={refetchInterval} />
        <Box component="section" aria-label={t("header.activityFilters")} sx={{ minWidth: 0 }}>
          <ActivityFilters
            days={filters.days}
            retentionDays={config.data?.retention_days}
            types={filters.types}
            onDaysChange={(days) => setFilters({ ...filters, days })}
            onTypesChange={(types) => setFilters({ ...filters, types })}
            problemsOnly={filters.minLevel !== "info"}
            onProblemsOnlyChange={(problemsOnly) => setFilters({ ...filters, minLevel: problemsOnly ? "warning" : "info" })}
          />
        </Box>
        <ActivityChartCard query={histogram} days={filters.days} />
        <ActivityLog
          query={activity}
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
      </Box>
    </Container>
  );
}
