/** Notifications: targets (redacted), mute and the latest messages (`/notifications`), and a test send. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "./api-types";
import { api } from "./client";

export type NotificationsOverview = components["schemas"]["NotificationsOverview"];
export type NotificationMessage = components["schemas"]["NotificationMessageRead"];
export type NotificationTestResults = components["schemas"]["NotificationTestResults"];

export const notificationKeys = {
  all: ["notifications"] as const,
  overview: () => [...notificationKeys.all, "overview"] as const,
  mute: () => [...notificationKeys.all, "mute"] as const,
  test: () => [...notificationKeys.all, "test"] as const,
};

export function getNotifications(signal?: AbortSignal): Promise<NotificationsOverview> {
  return api.get<NotificationsOverview>("/notifications", undefined, signal);
}

export function muteNotifications(minutes: number): Promise<NotificationsOverview> {
  return api.put<NotificationsOverview>("/notifications/mute", { minutes });
}

export function unmuteNotifications(): Promise<NotificationsOverview> {
  return api.delete<NotificationsOverview>("/notifications/mute");
}

export function sendTestNotification(): Promise<NotificationTestResults> {
  return api.post<NotificationTestResults>("/notifications/test");
}

export function notificationsQueryOptions() {
  return queryOptions({ queryKey: notificationKeys.overview(), queryFn: ({ signal }) => getNotifications(signal) });
}

export function useNotifications(refetchInterval: number | false) {
  return useQuery({ ...notificationsQueryOptions(), refetchInterval });
}

/** Mute for `minutes`, or unmute with null; the answer (the new overview) replaces the cached one. */
export function useMuteNotifications() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: notificationKeys.mute(),
    mutationFn: (minutes: number | null) => (minutes === null ? unmuteNotifications() : muteNotifications(minutes)),
    onSuccess: (overview) => queryClient.setQueryData(notificationKeys.overview(), overview),
  });
}

/** Send a test message now; the recent messages do not change (a test is not stored), the activity log does. */
export function useSendTestNotification() {
  return useMutation({ mutationKey: notificationKeys.test(), mutationFn: sendTestNotification });
}
