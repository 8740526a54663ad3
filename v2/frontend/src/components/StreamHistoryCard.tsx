import Box from "@mui/material/Box";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import type { StreamHistory } from "../api/streams";
import { STREAM_HISTORY_DAY_OPTIONS } from "../config";
import { useNow } from "../hooks/useNow";
import { periodStart } from "../utils/histogram";
import { mostWatched } from "../utils/streamHistory";
import { ConcurrentStreamsChart } from "./ConcurrentStreamsChart";
import { MostWatched } from "./MostWatched";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";

export interface StreamHistoryCardProps {
  query: SectionQuery<StreamHistory>;
  days: number;
  onDaysChange: (days: number) => void;
}

/** "since yesterday", "in the last 7 days": the period as the empty state says it. */
function periodPhrase(days: number): string {
  return days === 1 ? "since yesterday" : `in the last ${days} days`;
}

function periodLabel(days: number): string {
  return days === 1 ? "Since yesterday" : `Last ${days} days`;
}

function HistoryBody({ history, days }: { history: StreamHistory; days: number }) {
  const now = useNow();
  const channels = mostWatched(history.sessions, periodStart(days, now));
  return (
    <Box sx={{ display: "grid", gap: 3, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "minmax(0, 2fr) minmax(0, 1fr)" } }}>
      <Box sx={{ minWidth: 0 }}>
        <Typography component="h3" variant="h3" sx={{ mb: 1 }}>
          Concurrent streams
        </Typography>
        <ConcurrentStreamsChart history={history} days={days} />
      </Box>
      <MostWatched channels={channels} />
    </Box>
  );
}

/** What played over the chosen period: streams at once over time, and the channels watched longest. */
export function StreamHistoryCard({ query, days, onDaysChange }: StreamHistoryCardProps) {
  const selector = (
    <TextField
      select
      size="small"
      label="Stream period"
      value={days}
      onChange={(event) => onDaysChange(Number(event.target.value))}
      slotProps={{ select: { native: true } }}
      sx={{ minWidth: 170 }}
    >
      {STREAM_HISTORY_DAY_OPTIONS.map((option) => (
        <option key={option} value={option}>
          {periodLabel(option)}
        </option>
      ))}
    </TextField>
  );
  return (
    <SectionCard id="stream-history" title="Streams over time" busy={query.isPending} action={selector}>
      <QueryBoundary
        label="the stream history"
        query={query}
        isEmpty={query.data?.sessions.length === 0}
        empty={`Nothing has played ${periodPhrase(days)} — streams played through acexy appear here with the channels watched most.`}
        skeletonRows={3}
      >
        {query.data && <HistoryBody history={query.data} days={days} />}
      </QueryBoundary>
    </SectionCard>
  );
}
