import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { SparklineData, Stream } from "../api/streams";
import { SPARKLINE_WINDOW } from "../config";
import { viewerLabel } from "../utils/players";
import { shortId } from "../utils/text";
import { formatCount, formatSpeed } from "../utils/units";
import { ChannelLogo } from "./ChannelLogo";
import { DetailList } from "./DetailList";
import { monospace } from "./labels";
import { OutsideText } from "./OutsideText";
import { RelativeTime } from "./RelativeTime";
import { Sparkline } from "./Sparkline";
import { StalledChip } from "./statusChips";
import { useLocale } from "../i18n/useLocale";

export interface NowPlayingItemProps {
  stream: Stream;
  /** The stream's last hour of samples, drawn beside its speed; undefined for a stream without an id. */
  sparkline: SparklineData | undefined;
}

/** Our channel's name, else the id shortened, the full id in a tooltip reachable by keyboard. */
function StreamTitle({ stream }: { stream: Stream }) {
  const { t } = useTranslation();
  const name = stream.channel?.name;
  if (name) {
    return (
      <Typography component="h3" variant="h3" sx={{ overflowWrap: "anywhere" }}>
        <OutsideText text={name} />
      </Typography>
    );
  }
  const id = stream.id ?? stream.infohash ?? t("status.streams.unknown");
  return (
    <Typography component="h3" variant="h3">
      <Tooltip title={id} describeChild>
        <Box component="span" tabIndex={0} sx={monospace}>
          {shortId(id)}
        </Box>
      </Tooltip>
    </Typography>
  );
}

function SparklineValue({ data }: { data: SparklineData }) {
  const { t } = useTranslation();
  if (data.samples) return <Sparkline samples={data.samples} window={SPARKLINE_WINDOW} />;
  const text = t(data.error ? (data.error.status === 404 ? "status.playing.noHistory" : "status.playing.historyFailed") : "status.playing.historyLoading");
  return (
    <Typography component="span" variant="body2" sx={{ color: "text.secondary" }}>
      {text}
    </Typography>
  );
}

function speeds(stream: Stream, t: TFunction, locale: string): string {
  const down = stream.speed_down_kbps ?? null;
  const up = stream.speed_up_kbps ?? null;
  if (down === null && up === null) return t("status.playing.notRead");
  return t("status.playing.speeds", { down: down === null ? "?" : formatSpeed(down, locale), up: up === null ? "?" : formatSpeed(up, locale) });
}

/** "2 clients, 17 peers": acexy's count of players and the engine's of peers. */
function audience(stream: Stream, t: TFunction, locale: string): string {
  const clients =
    stream.clients === null ? t("status.playing.clientsUnknown") : t("status.playing.clients", { count: stream.clients, value: formatCount(stream.clients, locale) });
  const peers = stream.peers ?? null;
  const peerText = peers === null ? t("status.playing.peersNotRead") : t("status.playing.peers", { count: peers, value: formatCount(peers, locale) });
  return t("status.playing.audience", { clients, peers: peerText });
}

/** One playing stream: which channel, since when, who watches, and how well it downloads. */
export function NowPlayingItem({ stream, sparkline }: NowPlayingItemProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const viewers =
    stream.viewers.length > 0 ? (
      stream.viewers.map((viewer) => (
        <Box key={`${viewer.address ?? ""} ${viewer.user_agent ?? ""}`}>
          <OutsideText text={viewerLabel(viewer)} />
        </Box>
      ))
    ) : (
      <Box component="span" sx={{ color: "text.secondary" }}>
        {t("status.playing.notOurs")}
      </Box>
    );
  return (
    <Stack sx={{ gap: 1 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        <ChannelLogo src={stream.channel?.logo ?? null} name={stream.channel?.name ?? t("status.playing.channel")} />
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <StreamTitle stream={stream} />
        </Box>
        {stream.stalled && <StalledChip />}
      </Stack>
      <DetailList
        items={[
          {
            label: t("status.playing.since"),
            value: <RelativeTime value={stream.started_at ?? null} past fallback={t("status.streams.unknown")} />,
          },
          { label: t("status.playing.viewers"), value: viewers },
          { label: t("status.playing.connected"), value: audience(stream, t, locale) },
          {
            label: t("status.playing.speed"),
            value: (
              <Stack direction="row" useFlexGap sx={{ alignItems: "center", flexWrap: "wrap", columnGap: 1.5 }}>
                <span>{speeds(stream, t, locale)}</span>
                {sparkline && <SparklineValue data={sparkline} />}
              </Stack>
            ),
          },
        ]}
      />
    </Stack>
  );
}
