import { useMuteNotifications, useNotifications, useSendTestNotification } from "../api/notifications";
import { NotificationsCard } from "../components/NotificationsCard";

export interface NotificationsPanelProps {
  refetchInterval: number | false;
}

/** The notifications section with its own fetches, so that the dashboard only places it. */
export function NotificationsPanel({ refetchInterval }: NotificationsPanelProps) {
  const notifications = useNotifications(refetchInterval);
  const mute = useMuteNotifications();
  const test = useSendTestNotification();
  const error = mute.error ?? test.error;
  return (
    <NotificationsCard
      query={notifications}
      onMute={(minutes) => mute.mutate(minutes)}
      muting={mute.isPending}
      onTest={() => test.mutate()}
      testing={test.isPending}
      testResults={test.data ?? null}
      error={error}
    />
  );
}
