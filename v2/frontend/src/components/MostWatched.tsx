import Box from "@mui/material/Box";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { WatchedChannel } from "../utils/streamHistory";
import { shortId } from "../utils/text";
import { formatDuration } from "../utils/time";
import { formatCount } from "../utils/units";
import { monospace } from "./labels";
import { OutsideText } from "./OutsideText";

export interface MostWatchedProps {
  channels: WatchedChannel[];
}

function ChannelName({ channel }: { channel: WatchedChannel }) {
  if (channel.name !== null) return <OutsideText text={channel.name} />;
  const id = channel.id ?? "unknown";
  return (
    <Tooltip title={id} describeChild>
      <Box component="span" tabIndex={0} sx={monospace}>
        {shortId(id)}
      </Box>
    </Tooltip>
  );
}

/** The channels watched longest over the period, longest first, with their watch time in words. */
export function MostWatched({ channels }: MostWatchedProps) {
  return (
    <Box>
      <Typography component="h3" variant="h3" id="most-watched-title" sx={{ mb: 1 }}>
        Most watched
      </Typography>
      {channels.length === 0 && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          No watch time inside this period yet.
        </Typography>
      )}
      <Box component="ol" aria-labelledby="most-watched-title" sx={{ m: 0, pl: 3, typography: "body2" }}>
        {channels.map((channel) => (
          <Box component="li" key={`${channel.name ?? ""}|${channel.id ?? ""}`} sx={{ mb: 0.5 }}>
            <ChannelName channel={channel} /> — {formatDuration(channel.seconds)}
            <Box component="span" sx={{ color: "text.secondary" }}>
              {" "}
              ({formatCount(channel.sessions)} {channel.sessions === 1 ? "session" : "sessions"})
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
