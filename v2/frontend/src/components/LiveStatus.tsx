import FiberManualRecordIcon from "@mui/icons-material/FiberManualRecord";
import SyncProblemIcon from "@mui/icons-material/SyncProblem";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import type { LiveState } from "../api/activityLive";

export interface LiveStatusProps {
  state: LiveState;
  /** The polling interval that stands in while the stream is down. */
  pollSeconds: number | null;
}

/** Whether the page is live; a status region, so a change is announced without taking focus. */
export function LiveStatus({ state, pollSeconds }: LiveStatusProps) {
  const { t } = useTranslation();
  return (
    <Stack role="status" aria-label={t("header.live.region")} direction="row" sx={{ alignItems: "center", gap: 1, minHeight: 24 }}>
      {state === "live" && <Chip size="small" color="success" icon={<FiberManualRecordIcon />} label={t("header.live.live")} />}
      {state === "connecting" && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("header.live.connecting")}
        </Typography>
      )}
      {state === "paused" && (
        <>
          <SyncProblemIcon fontSize="small" color="warning" aria-hidden />
          <Typography variant="body2" sx={{ color: "warning.main" }}>
            {pollSeconds ? t("header.live.pausedPolling", { seconds: pollSeconds }) : t("header.live.paused")}
          </Typography>
        </>
      )}
    </Stack>
  );
}
