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
import type { ApiError } from "../api/client";
import type { NotificationsOverview, NotificationTestResults } from "../api/notifications";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { StatusChip } from "./StatusChip";

export const MUTE_CHOICES = [
  { minutes: 15, label: "15 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 8 * 60, label: "8 hours" },
  { minutes: 24 * 60, label: "1 day" },
] as const;

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
  const [minutes, setMinutes] = useState<number>(MUTE_CHOICES[1].minutes);
  const targets = data.targets.length;
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        {data.muted_until ? (
          <StatusChip label="Muted" tone="warning" icon={<NotificationsOffOutlined />} />
        ) : (
          <StatusChip label="On" tone="success" icon={<NotificationsActiveOutlined />} />
        )}
        <Typography variant="body2" component="span">
          {targets === 0 ? "No targets: set NOTIFY_URLS or PUT /api/v1/notifications/targets." : `${targets} target${targets === 1 ? "" : "s"}`}
        </Typography>
        {data.muted_until && (
          <Typography variant="body2" component="span">
            Muted until <RelativeTime value={data.muted_until} />
          </Typography>
        )}
      </Stack>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        {data.muted_until ? (
          <Button variant="outlined" size="small" disabled={muting} onClick={() => onMute(null)}>
            Unmute
          </Button>
        ) : (
          <>
            <TextField
              select
              size="small"
              label="Mute for"
              value={minutes}
              onChange={(event) => setMinutes(Number(event.target.value))}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
              sx={{ width: 140 }}
            >
              {MUTE_CHOICES.map((choice) => (
                <option key={choice.minutes} value={choice.minutes}>
                  {choice.label}
                </option>
              ))}
            </TextField>
            <Button variant="outlined" size="small" disabled={muting} onClick={() => onMute(minutes)}>
              Mute
            </Button>
          </>
        )}
        <Button variant="outlined" size="small" disabled={testing || targets === 0} onClick={onTest}>
          {testing ? "Sending…" : "Send test"}
        </Button>
      </Stack>
      {error && <Alert severity="error">{error.message}</Alert>}
      {testResults && (
        <List dense aria-label="Test results" disablePadding>
          {testResults.results.map((result, index) => (
            <ListItem key={`${index}-${result.target}`} disableGutters sx={{ gap: 1 }}>
              {result.ok ? (
                <StatusChip label="Delivered" tone="success" icon={<CheckCircleOutlined />} />
              ) : (
                <StatusChip label="Failed" tone="error" icon={<ErrorOutlined />} />
              )}
              <ListItemText primary={result.target} secondary={result.ok ? null : result.detail} sx={{ wordBreak: "break-all" }} />
            </ListItem>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** Mute with a duration or unmute, the targets' count, and "Send test" with each target's answer. */
export function NotificationsCard({ query, ...controls }: NotificationsCardProps) {
  return (
    <SectionCard id="notifications" title="Notifications" busy={query.isPending}>
      <QueryBoundary label="notifications" query={query} isEmpty={false} empty={null} skeletonRows={2}>
        {query.data && <NotificationsBody data={query.data} {...controls} />}
      </QueryBoundary>
    </SectionCard>
  );
}
