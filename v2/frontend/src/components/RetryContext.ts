import { createContext, useContext } from "react";

/**
 * What a person's request for data again (a section's Retry, "Refresh now") does before it
 * fetches. App provides the token prompt's `reset`: after a Cancel, background polls fail with
 * 401 without asking, but a click may open the token dialog again.
 */
export const RetryContext = createContext<() => void>(() => undefined);

/** Returns `retry(fetch)`: the page's reset first, then `fetch`. */
export function useRetry(): <T>(fetch: () => T) => T {
  const reset = useContext(RetryContext);
  return (fetch) => {
    reset();
    return fetch();
  };
}
