import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
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

export interface NowPlayingItemProps {
  stream: Stream;
  /** The stream's last hour of samples, drawn beside its speed; undefined for a stream without an id. */
  sparkline: SparklineData | undefined;
}

const NOT_READ = "not read yet";

/** Our channel's name, else the id shortened, the full id in a tooltip reachable by keyboard. */
function StreamTitle({ stream }: { stream: Stream }) {
  const name = stream.channel?.name;
  if (name) {
    return (
      <Typography component="h3" variant="h3" sx={{ overflowWrap: "anywhere" }}>
        <OutsideText text={name} />
      </Typography>
    );
  }
  const id = stream.id ?? stream.infohash ?? "unknown";
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
  if (data.samples) return <Sparkline samples={data.samples} window={SPARKLINE_WINDOW} />;
  const text = data.error ? (data.error.status === 404 ? "no speed history kept" : "could not load the speed history") : "loading the speed history…";
  return (
    <Typography component="span" variant="body2" sx={{ color: "text.secondary" }}>
      {text}
    </Typography>
  );
}

function speeds(stream: Stream): string {
  const down = stream.speed_down_kbps ?? null;
  const up = stream.speed_up_kbps ?? null;
  if (down === null && up === null) return NOT_READ;
  return `${down === null ? "?" : formatSpeed(down)} down, ${up === null ? "?" : formatSpeed(up)} up`;
}

/** "2 clients, 17 peers": acexy's count of players and the engine's of peers. */
function audience(stream: Stream): string {
  const clients = stream.clients === null ? "? clients" : `${formatCount(stream.clients)} ${stream.clients === 1 ? "client" : "clients"}`;
  const peers = stream.peers ?? null;
  return `${clients}, ${peers === null ? `peers ${NOT_READ}` : `${formatCount(peers)} ${peers === 1 ? "peer" : "peers"}`}`;
}

/** One playing stream: which channel, since when, who watches, and how well it downloads. */
export function NowPlayingItem({ stream, sparkline }: NowPlayingItemProps) {
  const viewers =
    stream.viewers.length > 0 ? (
      stream.viewers.map((viewer) => (
        <Box key={`${viewer.address ?? ""} ${viewer.user_agent ?? ""}`}>
          <OutsideText text={viewerLabel(viewer)} />
        </Box>
      ))
    ) : (
      <Box component="span" sx={{ color: "text.secondary" }}>
        not through our playlist
      </Box>
    );
  return (
    <Stack sx={{ gap: 1 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        <ChannelLogo src={stream.channel?.logo ?? null} name={stream.channel?.name ?? "Channel"} />
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <StreamTitle stream={stream} />
        </Box>
        {stream.stalled && <StalledChip />}
      </Stack>
      <DetailList
        items={[
          { label: "Playing since", value: <RelativeTime value={stream.started_at ?? null} past fallback="unknown" /> },
          { label: "Viewers", value: viewers },
          { label: "Connected", value: audience(stream) },
          {
            label: "Speed",
            value: (
              <Stack direction="row" useFlexGap sx={{ alignItems: "center", flexWrap: "wrap", columnGap: 1.5 }}>
                <span>{speeds(stream)}</span>
                {sparkline && <SparklineValue data={sparkline} />}
              </Stack>
            ),
          },
        ]}
      />
    </Stack>
  );
}
