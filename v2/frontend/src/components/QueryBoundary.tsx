import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Skeleton from "@mui/material/Skeleton";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import type { ApiError } from "../api/client";
import { visuallyHidden } from "./labels";
import { useRetry } from "./RetryContext";

/** What a section needs from a query; a TanStack `UseQueryResult<T, ApiError>` fits as is. */
export interface SectionQuery<T> {
  data: T | undefined;
  isPending: boolean;
  isFetching: boolean;
  error: ApiError | null;
  refetch: () => unknown;
}

export interface QueryBoundaryProps {
  /** Lower-case name used in messages: "background tasks". */
  label: string;
  query: SectionQuery<unknown>;
  isEmpty: boolean;
  /** What will appear here, and when. */
  empty: ReactNode;
  skeletonRows?: number;
  children: ReactNode;
}

function errorText(error: ApiError): string {
  const status = error.status > 0 ? ` (HTTP ${error.status})` : "";
  const trace = error.traceId ? ` Trace id: ${error.traceId}.` : "";
  return `${error.message.replace(/\.$/, "")}${status}.${trace}`;
}

/**
 * The four states of rule 17. A failed refresh over data we already have keeps the data and adds a
 * warning, so one failing endpoint never blanks its section, let alone the page. Retry goes through
 * `RetryContext`, so it may ask for the API token again after a Cancel.
 */
export function QueryBoundary({ label, query, isEmpty, empty, skeletonRows = 3, children }: QueryBoundaryProps) {
  const { isPending, isFetching, error, refetch } = query;
  const hasData = query.data !== undefined;
  const retry = useRetry();
  const retryButton = (
    <Button
      color="inherit"
      size="small"
      onClick={() => void retry(refetch)}
      disabled={isFetching}
      aria-label={`Retry loading ${label}`}
      startIcon={isFetching ? <CircularProgress size={14} color="inherit" /> : undefined}
    >
      Retry
    </Button>
  );

  if (error && !hasData) {
    return (
      <Alert severity="error" action={retryButton}>
        <AlertTitle>Could not load {label}</AlertTitle>
        {errorText(error)}
      </Alert>
    );
  }
  if (isPending || !hasData) {
    return (
      <Box>
        <Box sx={visuallyHidden}>Loading {label}…</Box>
        {Array.from({ length: skeletonRows }, (_, i) => (
          <Skeleton key={i} variant="rounded" height={28} sx={{ mb: 1 }} aria-hidden />
        ))}
      </Box>
    );
  }
  return (
    <>
      {error && (
        <Alert severity="warning" action={retryButton} sx={{ mb: 2 }}>
          Could not refresh {label}: {errorText(error)} Showing the last data received.
        </Alert>
      )}
      {isEmpty ? (
        <Typography variant="body2" sx={{ color: "text.secondary", py: 2 }}>
          {empty}
        </Typography>
      ) : (
        children
      )}
    </>
  );
}
