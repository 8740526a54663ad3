import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import LinearProgress from "@mui/material/LinearProgress";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableContainer from "@mui/material/TableContainer";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import type { Activity } from "../api/activity";
import { ActivityRow } from "./ActivityRow";
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

function emptyText({ types, problemsOnly }: ActivityLogProps["filtered"]): string {
  if (problemsOnly && types) return "No warnings or errors of the selected types in this period. Pick a longer period or more types, or turn off “Problems only”.";
  if (problemsOnly) return "No warnings or errors in this period — all quiet. Turn off “Problems only” to see everything.";
  if (types) return "No activity of the selected types in this period. Pick a longer period or more types.";
  return "No activity yet — scrapes, task runs and errors will appear here as they happen.";
}

export function ActivityLog({ query, filtered, hasMore, loadingMore, onLoadMore, actions }: ActivityLogProps) {
  const items = query.data ?? [];
  const empty = emptyText(filtered);
  return (
    <SectionCard id="activity-log" title="Activity log" busy={query.isPending} action={actions}>
      <QueryBoundary label="activity" query={query} isEmpty={items.length === 0} empty={empty} skeletonRows={6}>
        <Box sx={{ height: 4 }}>{query.isFetching && !loadingMore && <LinearProgress aria-label="Updating activity" />}</Box>
        <TableContainer sx={{ maxHeight: 560, overflow: "auto" }}>
          <Table stickyHeader size="small" aria-label="Activity log, newest first">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  <Box component="span" sx={visuallyHidden}>
                    Details
                  </Box>
                </TableCell>
                <TableCell>Time</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Level</TableCell>
                <TableCell>Message</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((activity) => (
                <ActivityRow key={activity.id} activity={activity} />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        <Stack direction="row" useFlexGap sx={{ mt: 2, alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1 }}>
          <Typography variant="body2" sx={{ color: "text.secondary" }}>
            {hasMore ? `Showing the newest ${items.length} entries.` : `All ${items.length} entries for this period.`}
          </Typography>
          {hasMore && (
            <Button
              variant="outlined"
              onClick={onLoadMore}
              disabled={loadingMore}
              startIcon={loadingMore ? <CircularProgress size={16} color="inherit" /> : undefined}
            >
              Load more
            </Button>
          )}
        </Stack>
      </QueryBoundary>
    </SectionCard>
  );
}
