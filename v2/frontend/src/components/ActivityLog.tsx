import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import LinearProgress from "@mui/material/LinearProgress";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { memo, useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Activity } from "../api/activity";
import { ActivityRow, activityToggleId, STACKED } from "./ActivityRow";
import { visuallyHidden } from "./labels";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";

export interface ActivityLogProps {
  /** `data` is every loaded page flattened, newest first, without duplicates. */
  query: SectionQuery<Activity[]>;
  /** Which filters narrow the log (they change the empty-state text). */
  filtered: { types: boolean; problemsOnly: boolean };
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** The export buttons and the retention setting, shown beside the title. */
  actions: ReactNode;
}

function emptyKey({ types, problemsOnly }: ActivityLogProps["filtered"]) {
  if (problemsOnly && types) return "activity.empty.problemsAndTypes";
  if (problemsOnly) return "activity.empty.problems";
  return types ? "activity.empty.types" : "activity.empty.all";
}

/**
 * Moves the focus to the first row a Load more brought when the button went away with it (the last
 * page): the focus would otherwise drop to <body>. While more remain, the button keeps the focus.
 * The rows shown follow the loaded ones a render later (the section defers them, useDeferredQuery).
 */
function useFocusAfterLastPage(shown: Activity[], hasMore: boolean, loadingMore: boolean) {
  const lastBefore = useRef<number | null>(null);
  useEffect(() => {
    if (loadingMore || lastBefore.current === null) return;
    const index = shown.findIndex((activity) => activity.id === lastBefore.current);
    const firstNew = shown[index + 1];
    if (!hasMore && !firstNew && index !== -1) return; // the page's rows are not shown yet
    lastBefore.current = null;
    if (!hasMore && firstNew && document.activeElement === document.body) document.getElementById(activityToggleId(firstNew.id))?.focus();
  }, [shown, hasMore, loadingMore]);
  return () => {
    lastBefore.current = shown.at(-1)?.id ?? null;
  };
}

const NO_ROWS: Activity[] = [];

/** Memoised: the section renders the log again with the same rows before the new ones (deferred). */
const ActivityRows = memo(function ActivityRows({ items }: { items: Activity[] }) {
  return (
    <TableBody sx={{ [STACKED]: { display: "block" } }}>
      {items.map((activity) => (
        <ActivityRow key={activity.id} activity={activity} />
      ))}
    </TableBody>
  );
});

/** The log as a table; below md each row stacks (time, type and level above the message) so nothing scrolls sideways. */
export function ActivityLog({ query, filtered, hasMore, loadingMore, onLoadMore, actions }: ActivityLogProps) {
  const { t } = useTranslation();
  const items = query.data ?? NO_ROWS;
  const rememberLastRow = useFocusAfterLastPage(items, hasMore, loadingMore);
  return (
    <SectionCard id="activity-log" title={t("activity.title")} busy={query.isPending} action={actions}>
      <QueryBoundary label={t("activity.loadLabel")} query={query} isEmpty={items.length === 0} empty={t(emptyKey(filtered))} skeletonRows={6}>
        <Box sx={{ height: 4 }}>{query.isFetching && !loadingMore && <LinearProgress aria-label={t("activity.updating")} />}</Box>
        <Table size="small" aria-label={t("activity.tableLabel")} sx={{ [STACKED]: { display: "block" } }}>
          <TableHead sx={{ [STACKED]: visuallyHidden }}>
            <TableRow>
              <TableCell padding="checkbox">
                <Box component="span" sx={visuallyHidden}>
                  {t("activity.columns.details")}
                </Box>
              </TableCell>
              <TableCell>{t("activity.columns.time")}</TableCell>
              <TableCell>{t("activity.columns.type")}</TableCell>
              <TableCell>{t("activity.columns.level")}</TableCell>
              <TableCell>{t("activity.columns.message")}</TableCell>
            </TableRow>
          </TableHead>
          <ActivityRows items={items} />
        </Table>
        <Stack direction="row" useFlexGap sx={{ mt: 2, alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1 }}>
          <Typography variant="body2" sx={{ color: "text.secondary" }}>
            {hasMore ? t("activity.showingNewest", { count: items.length }) : t("activity.showingAll", { count: items.length })}
          </Typography>
          {hasMore && (
            // Busy but not disabled while the page loads: a disabled button drops the focus to <body>.
            <Button
              variant="outlined"
              aria-disabled={loadingMore}
              onClick={() => {
                if (loadingMore) return;
                rememberLastRow();
                onLoadMore();
              }}
              startIcon={loadingMore ? <CircularProgress size={16} color="inherit" /> : undefined}
              sx={{ minHeight: 44 }}
            >
              {t("activity.loadMore")}
            </Button>
          )}
        </Stack>
      </QueryBoundary>
    </SectionCard>
  );
}
