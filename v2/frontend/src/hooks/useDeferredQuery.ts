import { useDeferredValue, useMemo } from "react";
import type { SectionQuery } from "../components/QueryBoundary";

/**
 * A section's query for its (memoised) card, deferred: a fetch's answer arrives in a render React
 * cannot interrupt (TanStack Query's store), where the card is skipped; the card then renders with
 * the answer at transition priority, in slices that let the browser in between, so no long task
 * blocks the page when every section's first answer arrives at once (Lighthouse's blocking time).
 * The card shows busy until then. A TanStack result is a new object on every render, which
 * `useDeferredValue` would chase forever, so its parts are deferred as one object.
 */
export function useDeferredQuery<T>(query: SectionQuery<T>): SectionQuery<T> {
  const { data, isPending, isFetching, error, refetch } = query;
  const parts = useMemo(() => ({ data, isPending, isFetching, error, refetch }), [data, isPending, isFetching, error, refetch]);
  return useDeferredValue(parts);
}
