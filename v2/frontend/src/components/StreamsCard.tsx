import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Divider from "@mui/material/Divider";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import type { ActiveStreams, SparklineData } from "../api/streams";
import { STREAMS_SECTION } from "../utils/problems";
import { formatCount } from "../utils/units";
import { DetailList } from "./DetailList";
import { NowPlayingItem } from "./NowPlayingItem";
import { OutsideText } from "./OutsideText";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { AvailabilityChip, DegradedChip } from "./statusChips";
import { useLocale } from "../i18n/useLocale";
import { memo } from "react";

export interface StreamsCardProps {
  query: SectionQuery<ActiveStreams>;
  /** Each playing stream's recent samples, by id. */
  sparklines: Record<string, SparklineData>;
}

/** acexy down but the engine up: streams still play, uncounted. Neither green nor red. */
function isDegraded(data: ActiveStreams): boolean {
  return data.available && data.source === "acestream";
}

/** What to say when no stream is listed; nothing when the count itself is unknown. */
function NoStreamsText({ data }: { data: ActiveStreams }) {
  const { t } = useTranslation();
  if (data.checked_at === null || data.count === null) return null;
  return (
    <Typography variant="body2" sx={{ color: "text.secondary" }}>
      {data.count > 0 ? t("status.streams.countOnly") : t("status.streams.none")}
    </Typography>
  );
}

function StreamsBody({ data, sparklines }: { data: ActiveStreams; sparklines: StreamsCardProps["sparklines"] }) {
  const locale = useLocale();
  const { t } = useTranslation();
  const degraded = isDegraded(data);
  const unknown = t("status.streams.unknown");
  const source = data.source === null ? t("status.streams.noSource") : t(`status.streams.source.${data.source}`);
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "baseline", gap: 1.5, flexWrap: "wrap" }}>
        <Typography component="p" variant="h4">
          {data.count === null ? unknown : formatCount(data.count, locale)}
        </Typography>
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("status.streams.active", { count: data.count ?? 0 })}
        </Typography>
        {degraded ? <DegradedChip kind="peer" /> : <AvailabilityChip available={data.available} />}
      </Stack>
      <DetailList
        items={[
          { label: t("status.streams.sourceLabel"), value: source },
          { label: t("status.streams.clients"), value: data.total_clients === null ? unknown : formatCount(data.total_clients, locale) },
          {
            label: t("status.checked"),
            value: <RelativeTime value={data.checked_at} past fallback={t("status.notCheckedYet")} />,
          },
        ]}
      />
      {degraded && (
        <Typography variant="body2">{t("status.streams.degraded")}</Typography>
      )}
      {data.error && data.checked_at !== null && (
        <Alert severity={data.available ? "warning" : "error"}>
          <OutsideText text={data.error} />
        </Alert>
      )}
      {data.checked_at === null && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("status.streams.notChecked")}
        </Typography>
      )}
      {data.streams.length > 0 ? (
        <Box component="ul" aria-label={t("status.streams.list")} sx={{ listStyle: "none", p: 0, m: 0 }}>
          {data.streams.map((stream, i) => (
            <Box component="li" key={stream.id ?? stream.infohash ?? i}>
              {i > 0 && <Divider sx={{ my: 1.5 }} />}
              <NowPlayingItem stream={stream} sparkline={stream.id === null ? undefined : sparklines[stream.id]} />
            </Box>
          ))}
        </Box>
      ) : (
        <NoStreamsText data={data} />
      )}
    </Stack>
  );
}

/** How many streams play and, for each, the channel, its viewers and how well it downloads. */
export const StreamsCard = memo(function StreamsCard({ query, sparklines }: StreamsCardProps) {
  const { t } = useTranslation();
  return (
    <SectionCard id={STREAMS_SECTION} title={t("status.streams.title")} busy={query.isPending}>
      <QueryBoundary label={t("status.streams.label")} query={query} isEmpty={false} empty={null}>
        {query.data && <StreamsBody data={query.data} sparklines={sparklines} />}
      </QueryBoundary>
    </SectionCard>
  );
});
