/**
 * The only fetch wrapper. Every response is either parsed JSON or an `ApiError` that mirrors the
 * backend's two error bodies (house style rule 9):
 *   422 `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}` → `fields` (last loc element → msg)
 *   other `{"detail": "..."}` (+ `trace_id` on a 500)             → `message`
 * A network failure becomes status 0. A 401 asks the registered handler for a token and retries.
 */
import { API_BASE_URL, API_PREFIX } from "../config";
import { getToken } from "./token";

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldErrors;
  readonly traceId: string | null;
  /** How long the server asked to wait before trying again (`Retry-After`, e.g. with a 503). */
  retryAfterMs: number | null = null;

  constructor(status: number, message: string, fields: FieldErrors = {}, traceId: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields;
    this.traceId = traceId;
  }
}

/** A `Retry-After` value (delay in seconds, or an HTTP date) in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Text for anything a promise rejected with. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Called on a 401; resolves true once a new token is stored (the request is then retried) or
 * false when the person declines (the 401 is thrown). `rejected` says a token was sent and refused;
 * `interactive` says the request is a write, which only a person's click can start.
 */
export type UnauthorizedHandler = (info: { rejected: boolean; interactive: boolean }) => Promise<boolean>;

let unauthorizedHandler: UnauthorizedHandler | null = null;

export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Path outside /api/v1 (e.g. /healthz). */
  raw?: boolean;
  /** The media types wanted; JSON unless given. */
  accept?: string;
  /** Further headers (e.g. `Last-Event-ID`). */
  headers?: Record<string, string>;
}

/** Build an absolute URL; arrays repeat the parameter (`type=a&type=b`), null/undefined are left out. */
export function buildUrl(path: string, query: Record<string, QueryValue> = {}, raw = false): string {
  const url = new URL(`${API_BASE_URL}${raw ? "" : API_PREFIX}${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value) ? value : [value as string | number | boolean];
    for (const item of values) url.searchParams.append(key, String(item));
  }
  return url.toString();
}

interface ValidationItem {
  loc?: unknown;
  msg?: unknown;
}

function fieldName(loc: unknown): string {
  if (!Array.isArray(loc) || loc.length === 0) return "body";
  return String(loc[loc.length - 1]);
}

/** Turn a non-2xx response body into an ApiError; `body` is the parsed JSON or null. */
export function toApiError(status: number, statusText: string, body: unknown): ApiError {
  const detail = typeof body === "object" && body !== null ? (body as { detail?: unknown }).detail : undefined;
  const traceIdValue = typeof body === "object" && body !== null ? (body as { trace_id?: unknown }).trace_id : undefined;
  const traceId = typeof traceIdValue === "string" ? traceIdValue : null;
  if (Array.isArray(detail)) {
    const fields: FieldErrors = {};
    for (const item of detail as ValidationItem[]) {
      const name = fieldName(item.loc);
      const msg = typeof item.msg === "string" ? item.msg : "is invalid";
      fields[name] = fields[name] ? `${fields[name]}; ${msg}` : msg;
    }
    const message = Object.entries(fields)
      .map(([name, msg]) => `${name}: ${msg}`)
      .join("; ");
    return new ApiError(status, message || "The request was invalid", fields, traceId);
  }
  if (typeof detail === "string" && detail) return new ApiError(status, detail, {}, traceId);
  const reason = statusText ? `${status} ${statusText}` : String(status);
  return new ApiError(status, `The server answered ${reason}`, {}, traceId);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function send(url: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers, Accept: options.accept ?? "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") throw error;
    const reason = error instanceof Error && error.message ? ` (${error.message})` : "";
    throw new ApiError(0, `Cannot reach the server; check your connection and that the backend is running${reason}`);
  }
}

/**
 * The 2xx response itself, its body unread: for answers that are not one JSON document (a file to
 * save, an event stream). Errors and 401s are handled as for `request`.
 */
export async function requestResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const url = buildUrl(path, options.query, options.raw);
  for (;;) {
    const sentToken = getToken() !== null;
    const response = await send(url, options);
    if (response.ok) return response;
    const body = await readJson(response);
    if (response.status === 401 && unauthorizedHandler && !options.signal?.aborted) {
      const interactive = (options.method ?? "GET") !== "GET";
      const retry = await unauthorizedHandler({ rejected: sentToken, interactive });
      if (retry) continue;
    }
    const error = toApiError(response.status, response.statusText, body);
    error.retryAfterMs = parseRetryAfter(response.headers.get("Retry-After"));
    throw error;
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await requestResponse(path, options);
  if (response.status === 204) return undefined as T;
  return (await readJson(response)) as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>(path, { method: "GET", query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: "POST", body }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: "PUT", body }),
  delete: <T>(path: string) => request<T>(path, { method: "DELETE" }),
};
