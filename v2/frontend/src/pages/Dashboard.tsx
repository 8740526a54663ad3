import Box from "@mui/material/Box";
import Container from "@mui/material/Container";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ActivityFilters as Filters } from "../api/activity";
import { useActivityLive } from "../api/activityLive";
import { isCoveredBy, useConnection } from "../api/connection";
import { refetchIntervalFrom, useDashboardConfig, useUpdateDashboardConfig } from "../api/dashboardConfig";
import { useActiveStreams } from "../api/streams";
import { useBackgroundTasks } from "../api/tasks";
import { useWarpStatus } from "../api/warp";
import { useTokenPromptControls } from "../auth/useTokenPrompt";
import { ActivityFilters } from "../components/ActivityFilters";
import { ConnectionBanner } from "../components/ConnectionBanner";
import { DashboardHeader } from "../components/DashboardHeader";
import { LiveStatus } from "../components/LiveStatus";
import { RefreshControls } from "../components/RefreshControls";
import { useRetry } from "../components/RetryContext";
import { StatusSummary } from "../components/StatusSummary";
import { DEFAULT_ACTIVITY_DAYS } from "../config";
import { useTabStatus } from "../hooks/useTabStatus";
import { findProblems } from "../utils/problems";
import { NotificationsPanel } from "./belowTheFold";
import {
  ActivityChartSection,
  ActivityLogSection,
  StreamHistorySection,
  StreamsSection,
  TasksSection,
  UptimeSection,
  WarpSection,
} from "./sections";

/** The whole page: the header, the summary, and the sections, each of which reads its own data. */
export function Dashboard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const retry = useRetry();
  const tokenPrompt = useTokenPromptControls();
  const connection = useConnection();
  const [filters, setFilters] = useState<Filters>({ days: DEFAULT_ACTIVITY_DAYS, types: [], minLevel: "info" });

  const config = useDashboardConfig();
  const refetchInterval = refetchIntervalFrom(config.data, config.isError);
  const live = useActivityLive(filters, config.data?.auto_refresh_enabled ?? false);
  // While the stream is open it brings the log's rows and the chart's refetches.
  const activityInterval = live === "live" ? false : refetchInterval;
  // The summary reads the queries its sections show (one fetch each, shared).
  const tasks = useBackgroundTasks(refetchInterval);
  const streams = useActiveStreams(refetchInterval);
  const warp = useWarpStatus(refetchInterval);
  const saveRefresh = useUpdateDashboardConfig();
  const glance = findProblems({ tasks: tasks.data, streams: streams.data, warp: warp.data });
  useTabStatus(glance);
  const retentionDays = config.data?.retention_days;

  const refreshAll = () => void retry(() => queryClient.invalidateQueries());

  return (
    <Container component="main" maxWidth="xl" sx={{ py: { xs: 2, md: 3 }, px: { xs: 1.5, sm: 3 } }}>
      <DashboardHeader>
        <RefreshControls
          config={config.data}
          saving={saveRefresh.isPending}
          error={saveRefresh.error}
          loadError={config.error && !isCoveredBy(connection, config.error) ? config.error : null}
          onRetryLoad={() => void retry(config.refetch)}
          stale={connection.state !== "online"}
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
          <StreamsSection refetchInterval={refetchInterval} />
          <WarpSection refetchInterval={refetchInterval} />
        </Box>
        <TasksSection refetchInterval={refetchInterval} />
        <StreamHistorySection refetchInterval={refetchInterval} retentionDays={retentionDays} />
        <UptimeSection refetchInterval={refetchInterval} />
        <NotificationsPanel refetchInterval={refetchInterval} />
        <Box component="section" aria-label={t("header.activityFilters")} sx={{ minWidth: 0 }}>
          <ActivityFilters
            days={filters.days}
            retentionDays={retentionDays}
            types={filters.types}
            onDaysChange={(days) => setFilters({ ...filters, days })}
            onTypesChange={(types) => setFilters({ ...filters, types })}
            problemsOnly={filters.minLevel !== "info"}
            onProblemsOnlyChange={(problemsOnly) => setFilters({ ...filters, minLevel: problemsOnly ? "warning" : "info" })}
          />
        </Box>
        <ActivityChartSection filters={filters} refetchInterval={activityInterval} />
        <ActivityLogSection filters={filters} refetchInterval={activityInterval} retentionDays={retentionDays} />
      </Box>
    </Container>
  );
}
