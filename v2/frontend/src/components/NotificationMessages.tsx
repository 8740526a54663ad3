import CheckCircleOutlined from "@mui/icons-material/CheckCircleOutlined";
import ErrorOutlined from "@mui/icons-material/ErrorOutlined";
import NotificationsOffOutlined from "@mui/icons-material/NotificationsOffOutlined";
import ScheduleOutlined from "@mui/icons-material/ScheduleOutlined";
import SendOutlined from "@mui/icons-material/SendOutlined";
import Box from "@mui/material/Box";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { ReactElement } from "react";
import { useTranslation } from "react-i18next";
import type { NotificationMessage } from "../api/notifications";
import { RelativeTime } from "./RelativeTime";
import { StatusChip, type Tone } from "./StatusChip";

type Status = NotificationMessage["status"];

const STATUS_CHIP: Record<Status, { tone: Tone; icon: ReactElement }> = {
  sent: { tone: "success", icon: <CheckCircleOutlined /> },
  pending: { tone: "info", icon: <ScheduleOutlined /> },
  failed: { tone: "error", icon: <ErrorOutlined /> },
  muted: { tone: "default", icon: <NotificationsOffOutlined /> },
  skipped: { tone: "default", icon: <SendOutlined /> },
};

export interface NotificationMessagesProps {
  /** Newest first, as `GET /notifications` answers. */
  messages: NotificationMessage[];
}

/** The latest messages decided: each with its delivery status, when, its attempts and the last error. */
export function NotificationMessages({ messages }: NotificationMessagesProps) {
  const { t } = useTranslation();
  return (
    <Box component="section" aria-labelledby="notifications-recent">
      <Typography variant="subtitle2" component="h3" id="notifications-recent" sx={{ mb: 0.5 }}>
        {t("notifications.recent")}
      </Typography>
      {messages.length === 0 ? (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("notifications.recentEmpty")}
        </Typography>
      ) : (
        <List dense disablePadding aria-labelledby="notifications-recent">
          {messages.map((message) => (
            <ListItem
              key={`${message.decided_at}-${message.title}`}
              disableGutters
              divider
              sx={{ display: "grid", gridTemplateColumns: "auto 1fr", columnGap: 1.5, alignItems: "start", py: 1 }}
            >
              <StatusChip label={t(`notifications.status.${message.status}`)} {...STATUS_CHIP[message.status]} />
              <Stack sx={{ minWidth: 0, gap: 0.25 }}>
                <Typography variant="body2" sx={{ fontWeight: 600, wordBreak: "break-word" }}>
                  {message.title}
                </Typography>
                <Typography variant="caption" sx={{ color: "text.secondary" }}>
                  {t("notifications.decided")} <RelativeTime value={message.decided_at} past />
                  {message.attempts > 0 && ` · ${t("notifications.attempts", { count: message.attempts })}`}
                </Typography>
                {message.last_error && (
                  <Typography variant="caption" sx={{ color: "error.main", wordBreak: "break-word" }}>
                    {t("notifications.lastError", { error: message.last_error })}
                  </Typography>
                )}
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}
