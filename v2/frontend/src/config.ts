/** Build-time and UI constants shared by the API modules and the components. */

/** Origin of the backend; empty means "same origin as the page" (the production layout). */
export const API_BASE_URL: string = (import.meta.env.VITE_API_BASE_URL as string | undefined) ?? "";
export const API_PREFIX = "/api/v1";
export const PLAYLIST_URL = `${API_BASE_URL}/playlist.m3u`;

/** sessionStorage, not localStorage: the token should not outlive the browser tab. */
export const TOKEN_STORAGE_KEY = "acestream.apiToken";

/** The refresh intervals the page offers; the server accepts 10–600 s. */
export const REFRESH_INTERVAL_OPTIONS = [
  { seconds: 10, label: "10 s" },
  { seconds: 30, label: "30 s" },
  { seconds: 60, label: "1 min" },
  { seconds: 300, label: "5 min" },
  { seconds: 600, label: "10 min" },
] as const;

/** Polling while the dashboard config cannot be loaded (the server's default). */
export const FALLBACK_REFRESH_INTERVAL_SECONDS = 30;

/** Periods offered by the activity filters (days back; 0 = since 00:00 UTC today). */
export const ACTIVITY_DAY_OPTIONS = [0, 1, 2, 3, 7, 14, 30] as const;
export const DEFAULT_ACTIVITY_DAYS = 1;
export const ACTIVITY_PAGE_SIZE = 50;
export const MAX_RETENTION_DAYS = 30;

/** Days of the uptime bars (one cell each); the 24 h to 90 d ratios come with them. */
export const UPTIME_DAYS = 30;

/** Waits before each new attempt to reopen the live activity stream; the last repeats. */
export const LIVE_RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;
/** The longest a server's `Retry-After` may hold the live stream back. */
export const LIVE_RETRY_AFTER_CAP_MS = 5 * 60_000;
/** While live, the chart is refetched at most this often however fast rows arrive. */
export const LIVE_HISTOGRAM_REFRESH_MS = 5_000;

/** The window of each playing stream's download sparkline (`/streams/{id}/samples?hours=`), and in words. */
export const SPARKLINE_HOURS = 1;
export const SPARKLINE_WINDOW = "last hour";
/** Periods offered by the stream history (days back, 1–30 as the server takes). */
export const STREAM_HISTORY_DAY_OPTIONS = [1, 7, 30] as const;
export const DEFAULT_STREAM_HISTORY_DAYS = 7;
