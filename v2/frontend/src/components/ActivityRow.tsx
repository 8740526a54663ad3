import ExpandLessIcon from "@mui/icons-material/ExpandLess";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import IconButton from "@mui/material/IconButton";
import TableCell from "@mui/material/TableCell";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import type { Activity } from "../api/activity";
import { prettyJson } from "../utils/format";
import { showInvisible } from "../utils/text";
import { formatExact, formatShort } from "../utils/time";
import { DetailList } from "./DetailList";
import { ACTIVITY_TYPE_LABELS, monospace } from "./labels";
import { OutsideText } from "./OutsideText";
import { LevelChip } from "./statusChips";

export interface ActivityRowProps {
  activity: Activity;
}

const COLUMNS = 5;

/** Details keys shown in the list above the JSON rather than in it. */
const SHOWN_APART = new Set(["exception", "repeated", "last_seen", "last_trace_id"]);

/** Repeats of an error folded into this row by the service (`details.repeated`), or 0. */
function repeatsOf(activity: Activity): number {
  const repeated = activity.details.repeated;
  return typeof repeated === "number" ? repeated : 0;
}

function typeLabel(type: string): string {
  return (ACTIVITY_TYPE_LABELS as Partial<Record<string, string>>)[type] ?? type;
}

const preSx = {
  ...monospace,
  m: 0,
  p: 1.5,
  maxHeight: 320,
  overflow: "auto",
  bgcolor: "action.hover",
  borderRadius: 1,
  whiteSpace: "pre",
} as const;

function ActivityDetails({ activity }: ActivityRowProps) {
  const { exception, last_seen: lastSeen, last_trace_id: lastTraceId } = activity.details;
  const rest = Object.fromEntries(Object.entries(activity.details).filter(([key]) => !SHOWN_APART.has(key)));
  const hasRest = Object.keys(rest).length > 0;
  const repeats = repeatsOf(activity);
  return (
    <Box
      sx={{
        py: 1,
        display: "grid",
        gridTemplateColumns: "minmax(0, 1fr)",
        gap: 1.5,
        minWidth: 0,
        // On a phone the table scrolls sideways; keep the details in view at the left edge, one screen wide
        // (viewport minus the page, card and cell padding).
        position: "sticky",
        left: 0,
        maxWidth: { xs: "calc(100vw - 90px)", md: "none" },
      }}
    >
      <DetailList
        items={[
          { label: "Time", value: formatExact(activity.timestamp) },
          { label: "User", value: activity.user === null ? "system (no user)" : <OutsideText text={activity.user} /> },
          { label: "Trace id", value: <Box component="span" sx={monospace}>{activity.trace_id ?? "none"}</Box> },
          ...(activity.span_id ? [{ label: "Span id", value: <Box component="span" sx={monospace}>{activity.span_id}</Box> }] : []),
          ...(repeats > 0
            ? [{ label: "Repeated", value: `${repeats} more ${repeats === 1 ? "time" : "times"} within a minute${typeof lastSeen === "string" ? `, last at ${formatExact(lastSeen)}` : ""}` }]
            : []),
          ...(typeof lastTraceId === "string" ? [{ label: "Last trace id", value: <Box component="span" sx={monospace}>{lastTraceId}</Box> }] : []),
          ...(exception ? [{ label: "Exception", value: <OutsideText text={`${exception.type ?? "Error"}: ${exception.message ?? ""}`} /> }] : []),
        ]}
      />
      {exception?.stacktrace && (
        <Box component="pre" role="region" aria-label="Stack trace" tabIndex={0} sx={preSx}>
          {showInvisible(exception.stacktrace)}
        </Box>
      )}
      {hasRest ? (
        <Box component="pre" role="region" aria-label="Details" tabIndex={0} sx={preSx}>
          {prettyJson(rest)}
        </Box>
      ) : (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          No further details were recorded.
        </Typography>
      )}
    </Box>
  );
}

/** One activity entry; the button in the first cell expands its details below it. */
export function ActivityRow({ activity }: ActivityRowProps) {
  const [open, setOpen] = useState(false);
  const detailsId = `activity-${activity.id}-details`;
  const repeats = repeatsOf(activity);
  return (
    <>
      <TableRow hover sx={open ? { "& > td": { borderBottom: "none" } } : undefined}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={`${open ? "Hide" : "Show"} details of “${showInvisible(activity.message)}”`}
            onClick={() => setOpen(!open)}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell sx={{ whiteSpace: "nowrap" }}>
          <time dateTime={activity.timestamp} title={formatExact(activity.timestamp)}>{formatShort(activity.timestamp)}</time>
        </TableCell>
        <TableCell sx={{ whiteSpace: "nowrap" }}>{typeLabel(activity.type)}</TableCell>
        <TableCell>
          <LevelChip level={activity.level} />
        </TableCell>
        <TableCell sx={{ minWidth: 200, overflowWrap: "anywhere" }}>
          <OutsideText text={activity.message} />
          {repeats > 0 && <Chip size="small" variant="outlined" label={`${repeats + 1} times`} sx={{ ml: 1 }} />}
        </TableCell>
      </TableRow>
      {open && (
        <TableRow id={detailsId}>
          <TableCell colSpan={COLUMNS} sx={{ maxWidth: 0 }}>
            <ActivityDetails activity={activity} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
}
