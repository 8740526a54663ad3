import Box from "@mui/material/Box";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { memo, useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { StreamHistory } from "../api/streams";
import { STREAM_HISTORY_DAY_OPTIONS } from "../config";
import { useNow } from "../hooks/useNow";
import { periodStart } from "../utils/histogram";
import { periodsWithin } from "../utils/periods";
import { mostWatched } from "../utils/streamHistory";
import { ConcurrentStreamsChart } from "./ConcurrentStreamsChart";
import { MostWatched } from "./MostWatched";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";

export interface StreamHistoryCardProps {
  query: SectionQuery<StreamHistory>;
  days: number;
  onDaysChange: (days: number) => void;
  /** The retention (the history is kept as long as the log); no longer period is offered. */
  retentionDays?: number;
}

function HistoryBody({ history, days }: { history: StreamHistory; days: number }) {
  const { t } = useTranslation();
  const now = useNow();
  const channels = mostWatched(history.sessions, periodStart(days, now));
  return (
    <Box sx={{ display: "grid", gap: 3, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "minmax(0, 2fr) minmax(0, 1fr)" } }}>
      <Box sx={{ minWidth: 0 }}>
        <Typography component="h3" variant="h3" sx={{ mb: 1 }}>
          {t("streamHistory.concurrent")}
        </Typography>
        <ConcurrentStreamsChart history={history} days={days} />
      </Box>
      <MostWatched channels={channels} />
    </Box>
  );
}

/** What played over the chosen period: streams at once over time, and the channels watched longest. */
export const StreamHistoryCard = memo(function StreamHistoryCard({ query, days, onDaysChange, retentionDays }: StreamHistoryCardProps) {
  const { t } = useTranslation();
  const options = periodsWithin(STREAM_HISTORY_DAY_OPTIONS, retentionDays);
  const longest = options[options.length - 1] ?? days;
  // A retention cut below the chosen period takes the period down with it.
  useEffect(() => {
    if (days > longest) onDaysChange(longest);
  }, [days, longest, onDaysChange]);
  const selector = (
    <TextField
      select
      size="small"
      label={t("streamHistory.period")}
      value={days}
      onChange={(event) => onDaysChange(Number(event.target.value))}
      slotProps={{ select: { native: true } }}
      sx={{ minWidth: 170 }}
    >
      {options.map((option) => (
        <option key={option} value={option}>
          {t("streamHistory.periodOption", { count: option })}
        </option>
      ))}
    </TextField>
  );
  return (
    <SectionCard id="stream-history" title={t("streamHistory.title")} busy={query.isPending} action={selector}>
      <QueryBoundary
        label={t("streamHistory.sectionLabel")}
        query={query}
        isEmpty={query.data?.sessions.length === 0}
        empty={t("streamHistory.empty", { count: days })}
        skeletonRows={3}
      >
        {query.data && <HistoryBody history={query.data} days={days} />}
      </QueryBoundary>
    </SectionCard>
  );
});
