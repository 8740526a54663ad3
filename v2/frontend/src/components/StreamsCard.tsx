import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Divider from "@mui/material/Divider";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { ActiveStreams, SparklineData } from "../api/streams";
import { formatCount } from "../utils/units";
import { DetailList } from "./DetailList";
import { NowPlayingItem } from "./NowPlayingItem";
import { OutsideText } from "./OutsideText";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { AvailabilityChip } from "./statusChips";

export interface StreamsCardProps {
  query: SectionQuery<ActiveStreams>;
  /** Each playing stream's recent samples, by id. */
  sparklines: Record<string, SparklineData>;
}

const SOURCES: Record<string, string> = {
  acexy: "acexy",
  acestream: "AceStream engine (cannot count streams)",
};

function StreamsBody({ data, sparklines }: { data: ActiveStreams; sparklines: StreamsCardProps["sparklines"] }) {
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "baseline", gap: 1.5, flexWrap: "wrap" }}>
        <Typography component="p" variant="h4">
          {data.count === null ? "unknown" : formatCount(data.count)}
        </Typography>
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          active {data.count === 1 ? "stream" : "streams"}
        </Typography>
        <AvailabilityChip available={data.available} />
      </Stack>
      <DetailList
        items={[
          { label: "Source", value: data.source ? SOURCES[data.source] ?? data.source : "none answered" },
          { label: "Clients", value: data.total_clients === null ? "unknown" : formatCount(data.total_clients) },
          { label: "Checked", value: <RelativeTime value={data.checked_at} past fallback="not checked yet" /> },
        ]}
      />
      {data.error && (
        <Alert severity="error">
          <OutsideText text={data.error} />
        </Alert>
      )}
      {data.checked_at === null && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          Not checked yet — the status check polls acexy and the engine and fills this in after its next run.
        </Typography>
      )}
      {data.streams.length > 0 ? (
        <Box component="ul" aria-label="Playing streams" sx={{ listStyle: "none", p: 0, m: 0 }}>
          {data.streams.map((stream, i) => (
            <Box component="li" key={stream.id ?? stream.infohash ?? i}>
              {i > 0 && <Divider sx={{ my: 1.5 }} />}
              <NowPlayingItem
                stream={stream}
                sparkline={stream.id === null ? undefined : sparklines[stream.id]}
              />
            </Box>
          ))}
        </Box>
      ) : (
        data.checked_at !== null && (
          <Typography variant="body2" sx={{ color: "text.secondary" }}>
            {data.count !== null && data.count > 0
              ? "This acexy version reports the count only, not the individual streams."
              : "No stream is playing right now; streams are listed here while clients watch them."}
          </Typography>
        )
      )}
    </Stack>
  );
}

/** How many streams play and, for each, the channel, its viewers and how well it downloads. */
export function StreamsCard({ query, sparklines }: StreamsCardProps) {
  return (
    <SectionCard id="active-streams" title="Now playing" busy={query.isPending}>
      <QueryBoundary label="active streams" query={query} isEmpty={false} empty={null}>
        {query.data && <StreamsBody data={query.data} sparklines={sparklines} />}
      </QueryBoundary>
    </SectionCard>
  );
}
