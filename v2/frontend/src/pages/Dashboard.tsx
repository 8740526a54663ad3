import Box from "@mui/material/Box";
import Container from "@mui/material/Container";
import Stack from "@mui/material/Stack";
import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  useActivityHistogram,
  useExportActivity,
  useRecentActivity,
  type ActivityFilters as Filters,
  type ExportFormat,
} from "../api/activity";
import { useActivityLive } from "../api/activityLive";
import { errorMessage } from "../api/client";
import { refetchIntervalFrom, useDashboardConfig, useUpdateDashboardConfig } from "../api/dashboardConfig";
import { useActiveStreams, useStreamHistory, useStreamSparklines } from "../api/streams";
import { useBackgroundTasks, usePendingTaskActions, useTaskAction, type TaskAction } from "../api/tasks";
import { useUptime } from "../api/uptime";
import { useWarpStatus } from "../api/warp";
import { EnterTokenButton } from "../auth/EnterTokenButton";
import { ActivityFilters } from "../components/ActivityFilters";
import { ActivityLog } from "../components/ActivityLog";
import { DashboardHeader } from "../components/DashboardHeader";
import { LiveStatus } from "../components/LiveStatus";
import { ExportButtons } from "../components/ExportButtons";
import { Notice, type NoticeState } from "../components/Notice";
import { RefreshControls } from "../components/RefreshControls";
import { RetentionControl } from "../components/RetentionControl";
import { useRetry } from "../components/RetryContext";
import { StreamHistoryCard } from "../components/StreamHistoryCard";
import { StreamsCard } from "../components/StreamsCard";
import { TaskList } from "../components/TaskList";
import { WarpCard } from "../components/WarpCard";
import { ActivityChartCard, NotificationsPanel, UptimeCard } from "./belowTheFold";
import { DEFAULT_ACTIVITY_DAYS, DEFAULT_STREAM_HISTORY_DAYS, UPTIME_DAYS } from "../config";
import { saveFile } from "../utils/download";

/** The whole page: every fetch happens here; the components only render what they are given. */
export function Dashboard() {
  const queryClient = useQueryClient();
  const retry = useRetry();
  const [filters, setFilters] = useState<Filters>({ days: DEFAULT_ACTIVITY_DAYS, types: [], minLevel: "info" });
  const [streamDays, setStreamDays] = useState(DEFAULT_STREAM_HISTORY_DAYS);
  const [notice, setNotice] = useState<NoticeState | null>(null);

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
  const taskAction = useTaskAction();
  const exportLog = useExportActivity();
  const pendingActions = usePendingTaskActions();
  const fetching = useIsFetching() > 0;

  const sources = [config, activity, histogram, tasks, streams, streamHistory, warp];
  const lastUpdated = Math.max(0, ...sources.map((q) => q.dataUpdatedAt)) || null;

  const notify = (severity: NoticeState["severity"], message: string) =>
    setNotice((previous) => ({ id: (previous?.id ?? 0) + 1, open: true, severity, message }));
  const onTaskAction = (action: TaskAction, name: string) => {
    taskAction.mutateAsync({ action, name }).then(
      (accepted) => notify("success", accepted.detail || `${name}: ${action} accepted`),
      (error: unknown) => notify("error", `Could not ${action} ${name}: ${errorMessage(error)}`),
    );
  };
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
          loadError={config.error}
          onRetryLoad={() => void retry(config.refetch)}
          lastUpdated={lastUpdated}
          refreshing={fetching}
          onAutoRefreshChange={(enabled) => saveRefresh.mutate({ auto_refresh_enabled: enabled })}
          onIntervalChange={(seconds) => saveRefresh.mutate({ refresh_interval_seconds: seconds })}
          onRefresh={refreshAll}
        />
        <LiveStatus state={live} pollSeconds={refetchInterval === false ? null : refetchInterval / 1000} />
        <EnterTokenButton />
      </DashboardHeader>
      <Box sx={{ display: "grid", gap: { xs: 2, md: 3 }, gridTemplateColumns: "minmax(0, 1fr)" }}>
        <Box sx={{ display: "grid", gap: { xs: 2, md: 3 }, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "repeat(2, minmax(0, 1fr))" } }}>
          <StreamsCard query={streams} sparklines={sparklines} />
          <WarpCard query={warp} />
        </Box>
        <StreamHistoryCard query={streamHistory} days={streamDays} onDaysChange={setStreamDays} />
        <TaskList query={tasks} pending={pendingActions} onAction={onTaskAction} />
        <UptimeCard query={uptime} />
        <NotificationsPanel refetchInterval={refetchInterval} />
        <Box component="section" aria-label="Activity filters" sx={{ minWidth: 0 }}>
          <ActivityFilters
            days={filters.days}
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
                onChange={(days) => saveRetention.mutate({ retention_days: days })}
              />
            </Stack>
          }
        />
      </Box>
      <Notice notice={notice} onClose={() => setNotice((previous) => previous && { ...previous, open: false })} />
    </Container>
  );
}
