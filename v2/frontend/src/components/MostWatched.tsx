import Box from "@mui/material/Box";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import { useLocale } from "../i18n/useLocale";
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
  const { t } = useTranslation();
  if (channel.name !== null) return <OutsideText text={channel.name} />;
  const id = channel.id ?? t("streamHistory.unknownChannel");
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
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Box>
      <Typography component="h3" variant="h3" id="most-watched-title" sx={{ mb: 1 }}>
        {t("streamHistory.mostWatched")}
      </Typography>
      {channels.length === 0 && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("streamHistory.noWatchTime")}
        </Typography>
      )}
      <Box component="ol" aria-labelledby="most-watched-title" sx={{ m: 0, pl: 3, typography: "body2" }}>
        {channels.map((channel) => (
          <Box component="li" key={`${channel.name ?? ""}|${channel.id ?? ""}`} sx={{ mb: 0.5 }}>
            <ChannelName channel={channel} /> — {formatDuration(channel.seconds, locale)}
            <Box component="span" sx={{ color: "text.secondary" }}>
              {" "}
              ({t("streamHistory.sessions", { count: channel.sessions, formatted: formatCount(channel.sessions, locale) })})
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
