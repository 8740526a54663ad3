import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Skeleton from "@mui/material/Skeleton";
import Typography from "@mui/material/Typography";
import type { TFunction } from "i18next";
import { useContext, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/client";
import { isCoveredBy, useConnection } from "../api/connection";
import { visuallyHidden } from "./labels";
import { useRetry } from "./RetryContext";
import { SectionIdContext, SKELETON_HEIGHTS } from "./SkeletonHeight";

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
  /** Rows of the loading skeleton of a section without a height in SKELETON_HEIGHTS. */
  skeletonRows?: number;
  children: ReactNode;
}

function errorText(error: ApiError, t: TFunction): string {
  const status = error.status > 0 ? t("status.boundary.httpStatus", { status: error.status }) : "";
  const trace = error.traceId ? ` ${t("status.boundary.trace", { id: error.traceId })}` : "";
  return `${error.message.replace(/\.$/, "")}${status}.${trace}`;
}

/** The room the content will take; `still` (no wave) while waiting on the connection rather than loading. */
function Placeholder({ text, rows, still }: { text: string; rows: number; still: boolean }) {
  const section = useContext(SectionIdContext);
  const height = section === null ? undefined : SKELETON_HEIGHTS[section];
  const animation = still ? false : "wave";
  return (
    <Box>
      <Box sx={still ? { typography: "body2", color: "text.secondary", mb: 1 } : visuallyHidden}>{text}</Box>
      {height === undefined ? (
        Array.from({ length: rows }, (_, i) => <Skeleton key={i} variant="rounded" height={28} animation={animation} sx={{ mb: 1 }} aria-hidden />)
      ) : (
        <Skeleton variant="rounded" animation={animation} sx={{ height }} aria-hidden />
      )}
    </Box>
  );
}

/**
 * The four states of rule 17. A failed refresh over data we already have keeps the data and adds a
 * warning, so one failing endpoint never blanks its section, let alone the page. A failure the page's
 * banner already tells (connection lost, API token needed) is not repeated here: the last data shows
 * greyed out. Retry goes through `RetryContext`, so it may ask for the API token again after a Cancel.
 */
export function QueryBoundary({ label, query, isEmpty, empty, skeletonRows = 3, children }: QueryBoundaryProps) {
  const { t } = useTranslation();
  const { isPending, isFetching, error, refetch } = query;
  const hasData = query.data !== undefined;
  const retry = useRetry();
  const connection = useConnection();
  const covered = error !== null && isCoveredBy(connection, error);
  const retryButton = (
    <Button
      color="inherit"
      size="small"
      onClick={() => void retry(refetch)}
      disabled={isFetching}
      aria-label={t("status.boundary.retryLabel", { label })}
      startIcon={isFetching ? <CircularProgress size={14} color="inherit" /> : undefined}
    >
      {t("status.boundary.retry")}
    </Button>
  );

  if (covered && !hasData) {
    const text = connection.state === "token" ? t("status.boundary.needsToken", { label }) : t("status.boundary.waiting", { label });
    return <Placeholder text={text} rows={skeletonRows} still />;
  }
  if (error && !hasData) {
    return (
      <Alert severity="error" action={retryButton}>
        <AlertTitle>{t("status.boundary.couldNotLoad", { label })}</AlertTitle>
        {errorText(error, t)}
      </Alert>
    );
  }
  if (isPending || !hasData) return <Placeholder text={t("status.boundary.loading", { label })} rows={skeletonRows} still={false} />;
  const content = isEmpty ? (
    <Typography variant="body2" sx={{ color: "text.secondary", py: 2 }}>
      {empty}
    </Typography>
  ) : (
    children
  );
  if (covered) {
    return (
      <Box sx={{ filter: "grayscale(1)", opacity: 0.6 }} data-stale="true">
        <Box sx={visuallyHidden}>{t("status.boundary.stale", { label })}</Box>
        {content}
      </Box>
    );
  }
  return (
    <>
      {error && (
        <Alert severity="warning" action={retryButton} sx={{ mb: 2 }}>
          {t("status.boundary.couldNotRefresh", { label, error: errorText(error, t) })}
        </Alert>
      )}
      {content}
    </>
  );
}
