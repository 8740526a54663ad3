import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import type { ActiveStreams, Stream } from "../api/streams";
import { viewerLabel } from "../utils/players";
import { DetailList } from "./DetailList";
import { monospace } from "./labels";
import { OutsideText } from "./OutsideText";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { AvailabilityChip } from "./statusChips";

export interface StreamsCardProps {
  query: SectionQuery<ActiveStreams>;
}

const SOURCES: Record<string, string> = {
  acexy: "acexy",
  acestream: "AceStream engine (cannot count streams)",
};

/** The channel's name when the stream is one of ours, with its id below; else the id alone. */
function StreamName({ stream }: { stream: Stream }) {
  const id = <OutsideText text={stream.infohash ?? stream.id ?? "unknown"} />;
  if (!stream.channel?.name) return <Box sx={{ ...monospace, overflowWrap: "anywhere" }}>{id}</Box>;
  return (
    <>
      <OutsideText text={stream.channel.name} />
      <Box sx={{ ...monospace, overflowWrap: "anywhere", color: "text.secondary", fontSize: "0.75rem" }}>{id}</Box>
    </>
  );
}

function StreamsBody({ data }: { data: ActiveStreams }) {
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "baseline", gap: 1.5, flexWrap: "wrap" }}>
        <Typography component="p" variant="h4">
          {data.count ?? "unknown"}
        </Typography>
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          active {data.count === 1 ? "stream" : "streams"}
        </Typography>
        <AvailabilityChip available={data.available} />
      </Stack>
      <DetailList
        items={[
          { label: "Source", value: data.source ? SOURCES[data.source] ?? data.source : "none answered" },
          { label: "Clients", value: data.total_clients ?? "unknown" },
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
        <Box sx={{ overflowX: "auto" }}>
          <Table size="small" aria-label="Playing streams">
            <TableHead>
              <TableRow>
                <TableCell>Stream</TableCell>
                <TableCell>Viewers</TableCell>
                <TableCell align="right">Clients</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.streams.map((stream, i) => (
                <TableRow key={stream.id ?? stream.infohash ?? i}>
                  <TableCell>
                    <StreamName stream={stream} />
                  </TableCell>
                  <TableCell>
                    {stream.viewers.length > 0 ? (
                      stream.viewers.map((viewer) => (
                        <Box key={`${viewer.address ?? ""} ${viewer.user_agent ?? ""}`}>
                          <OutsideText text={viewerLabel(viewer)} />
                        </Box>
                      ))
                    ) : (
                      <Typography component="span" variant="body2" sx={{ color: "text.secondary" }}>
                        not through our playlist
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell align="right">{stream.clients ?? "?"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
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

export function StreamsCard({ query }: StreamsCardProps) {
  return (
    <SectionCard id="active-streams" title="Active streams" busy={query.isPending}>
      <QueryBoundary label="active streams" query={query} isEmpty={false} empty={null}>
        {query.data && <StreamsBody data={query.data} />}
      </QueryBoundary>
    </SectionCard>
  );
}
