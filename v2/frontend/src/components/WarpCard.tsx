import Alert from "@mui/material/Alert";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { WarpStatus } from "../api/warp";
import { formatValue, humanize } from "../utils/format";
import { DetailList } from "./DetailList";
import { OutsideText } from "./OutsideText";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { WarpChip } from "./statusChips";

export interface WarpCardProps {
  query: SectionQuery<WarpStatus>;
}

function WarpBody({ data }: { data: WarpStatus }) {
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        <Typography variant="body2" component="span">
          Cloudflare WARP
        </Typography>
        <WarpChip status={data.status} />
      </Stack>
      <DetailList
        items={[
          { label: "Last connected", value: <RelativeTime value={data.last_connected} past fallback="never" /> },
          { label: "Checked", value: <RelativeTime value={data.checked_at} past fallback="not checked yet" /> },
          ...Object.entries(data.details).map(([key, value]) => ({ label: humanize(key), value: formatValue(value) })),
        ]}
      />
      {data.error && (
        <Alert severity="error">
          <OutsideText text={data.error} />
        </Alert>
      )}
      {data.checked_at === null && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          Not checked yet — the WARP state appears here after the next status check.
        </Typography>
      )}
      {data.status === "unavailable" && data.checked_at !== null && !data.error && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          WARP is not configured, or the scraper cannot reach it.
        </Typography>
      )}
    </Stack>
  );
}

export function WarpCard({ query }: WarpCardProps) {
  return (
    <SectionCard id="warp-status" title="WARP" busy={query.isPending}>
      <QueryBoundary label="WARP status" query={query} isEmpty={false} empty={null}>
        {query.data && <WarpBody data={query.data} />}
      </QueryBoundary>
    </SectionCard>
  );
}
