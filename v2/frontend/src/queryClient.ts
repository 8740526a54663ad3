import { QueryClient } from "@tanstack/react-query";
import type { ApiError } from "./api/client";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: ApiError;
  }
}

/**
 * Client errors (4xx) are not retried: a 401 already went through the token dialog, and a 404/422
 * will not change. Tests pass `retry: false` for everything.
 */
export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry:
          options.retry === false
            ? false
            : (failureCount, error) => failureCount < 2 && (error.status === 0 || error.status >= 500),
        staleTime: 5_000,
      },
      mutations: { retry: false },
    },
  });
}
