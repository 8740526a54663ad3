import CheckCircleOutlined from "@mui/icons-material/CheckCircleOutlined";
import ErrorOutlined from "@mui/icons-material/ErrorOutlined";
import NotificationsOffOutlined from "@mui/icons-material/NotificationsOffOutlined";
import NotificationsActiveOutlined from "@mui/icons-material/NotificationsActiveOutlined";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/client";
import type { NotificationsOverview, NotificationTestResults } from "../api/notifications";
import { NotificationMessages } from "./NotificationMessages";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { StatusChip } from "./StatusChip";

/** The mute durations offered, in minutes (each labelled by `notifications.muteChoices.<minutes>`). */
export const MUTE_CHOICES = [15, 60, 8 * 60, 24 * 60] as const;

export interface NotificationsCardProps {
  query: SectionQuery<NotificationsOverview>;
  /** Mute for that many minutes, or unmute with null. */
  onMute: (minutes: number | null) => void;
  muting: boolean;
  onTest: () => void;
  testing: boolean;
  /** The last test's answer per target; null before any. */
  testResults: NotificationTestResults | null;
  /** The last mute or test request's failure. */
  error: ApiError | null;
}

function NotificationsBody({ data, onMute, muting, onTest, testing, testResults, error }: Omit<NotificationsCardProps, "query"> & { data: NotificationsOverview }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState<number>(MUTE_CHOICES[1]);
  const targets = data.targets.length;
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        {data.muted_until ? (
          <StatusChip label={t("notifications.muted")} tone="warning" icon={<NotificationsOffOutlined />} />
        ) : (
          <StatusChip label={t("notifications.on")} tone="success" icon={<NotificationsActiveOutlined />} />
        )}
        <Typography variant="body2" component="span">
          {targets === 0 ? t("notifications.noTargets") : t("notifications.targets", { count: targets })}
        </Typography>
        {data.muted_until && (
          <Typography variant="body2" component="span">
            {t("notifications.mutedUntil")} <RelativeTime value={data.muted_until} />
          </Typography>
        )}
      </Stack>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        {data.muted_until ? (
          <Button variant="outlined" size="small" disabled={muting} onClick={() => onMute(null)}>
            {t("notifications.unmute")}
          </Button>
        ) : (
          <>
            <TextField
              select
              size="small"
              label={t("notifications.muteFor")}
              value={minutes}
              onChange={(event) => setMinutes(Number(event.target.value))}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
              sx={{ width: 140 }}
            >
              {MUTE_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {t(`notifications.muteChoices.${choice}`)}
                </option>
              ))}
            </TextField>
            <Button variant="outlined" size="small" disabled={muting} onClick={() => onMute(minutes)}>
              {t("notifications.mute")}
            </Button>
          </>
        )}
        <Button variant="outlined" size="small" disabled={testing || targets === 0} onClick={onTest}>
          {testing ? t("notifications.sending") : t("notifications.sendTest")}
        </Button>
      </Stack>
      {error && <Alert severity="error">{error.message}</Alert>}
      {testResults && (
        <List dense aria-label={t("notifications.testResults")} disablePadding>
          {testResults.results.map((result, index) => (
            <ListItem key={`${index}-${result.target}`} disableGutters sx={{ gap: 1 }}>
              {result.ok ? (
                <StatusChip label={t("notifications.delivered")} tone="success" icon={<CheckCircleOutlined />} />
              ) : (
                <StatusChip label={t("notifications.failed")} tone="error" icon={<ErrorOutlined />} />
              )}
              <ListItemText primary={result.target} secondary={result.ok ? null : result.detail} sx={{ wordBreak: "break-all" }} />
            </ListItem>
          ))}
        </List>
      )}
      <NotificationMessages messages={data.messages} />
    </Stack>
  );
}

/**
 * Mute with a duration or unmute, the targets' count, "Send test" with each target's answer, and the
 * recent messages with their delivery outcome.
 */
export function NotificationsCard({ query, ...controls }: NotificationsCardProps) {
  const { t } = useTranslation();
  return (
    <SectionCard id="notifications" title={t("notifications.title")} busy={query.isPending}>
      <QueryBoundary label={t("notifications.sectionLabel")} query={query} isEmpty={false} empty={null} skeletonRows={2}>
        {query.data && <NotificationsBody data={query.data} {...controls} />}
      </QueryBoundary>
    </SectionCard>
  );
}
