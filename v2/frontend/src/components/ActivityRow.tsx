import ExpandLessIcon from "@mui/icons-material/ExpandLess";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import IconButton from "@mui/material/IconButton";
import TableCell from "@mui/material/TableCell";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Activity } from "../api/activity";
import { prettyJson } from "../utils/format";
import { showInvisible } from "../utils/text";
import { formatExact, formatShort } from "../utils/time";
import { DetailList } from "./DetailList";
import { monospace } from "./labels";
import { OutsideText } from "./OutsideText";
import { LevelChip } from "./statusChips";
import { useLocale } from "../i18n/useLocale";

export interface ActivityRowProps {
  activity: Activity;
}

/**
 * Below the theme's md breakpoint (900 px) the log's rows stack: the table's parts become blocks and
 * each row a wrapping line of time, type and level with the message below, so nothing scrolls sideways.
 */
export const STACKED = "@media (max-width: 899.95px)";

const COLUMNS = 5;

/** Details keys shown in the list above the JSON rather than in it. */
const SHOWN_APART = new Set(["exception", "repeated", "last_seen", "last_trace_id"]);

/** The id of the row's expand button (Load more moves the focus to it). */
export function activityToggleId(id: number): string {
  return `activity-${id}-toggle`;
}

/** Repeats of an error folded into this row by the service (`details.repeated`), or 0. */
function repeatsOf(activity: Activity): number {
  const repeated = activity.details.repeated;
  return typeof repeated === "number" ? repeated : 0;
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
  const locale = useLocale();
  const { t } = useTranslation();
  const { exception, last_seen: lastSeen, last_trace_id: lastTraceId } = activity.details;
  const rest = Object.fromEntries(Object.entries(activity.details).filter(([key]) => !SHOWN_APART.has(key)));
  const hasRest = Object.keys(rest).length > 0;
  const repeats = repeatsOf(activity);
  const repeated = t("activity.detail.repeatedTimes", { count: repeats });
  return (
    <Box sx={{ py: 1, display: "grid", gridTemplateColumns: "minmax(0, 1fr)", gap: 1.5, minWidth: 0 }}>
      <DetailList
        items={[
          { label: t("activity.detail.time"), value: formatExact(activity.timestamp, locale) },
          { label: t("activity.detail.user"), value: activity.user === null ? t("activity.detail.systemUser") : <OutsideText text={activity.user} /> },
          { label: t("activity.detail.traceId"), value: <Box component="span" sx={monospace}>{activity.trace_id ?? t("activity.detail.none")}</Box> },
          ...(activity.span_id ? [{ label: t("activity.detail.spanId"), value: <Box component="span" sx={monospace}>{activity.span_id}</Box> }] : []),
          ...(repeats > 0
            ? [{ label: t("activity.detail.repeated"), value: typeof lastSeen === "string" ? t("activity.detail.lastAt", { repeated, time: formatExact(lastSeen, locale) }) : repeated }]
            : []),
          ...(typeof lastTraceId === "string" ? [{ label: t("activity.detail.lastTraceId"), value: <Box component="span" sx={monospace}>{lastTraceId}</Box> }] : []),
          ...(exception ? [{ label: t("activity.detail.exception"), value: <OutsideText text={`${exception.type ?? "Error"}: ${exception.message ?? ""}`} /> }] : []),
        ]}
      />
      {exception?.stacktrace && (
        <Box component="pre" role="region" aria-label={t("activity.detail.stackTrace")} tabIndex={0} sx={preSx}>
          {showInvisible(exception.stacktrace)}
        </Box>
      )}
      {hasRest ? (
        <Box component="pre" role="region" aria-label={t("activity.detail.details")} tabIndex={0} sx={preSx}>
          {prettyJson(rest)}
        </Box>
      ) : (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("activity.detail.nothingMore")}
        </Typography>
      )}
    </Box>
  );
}

/**
 * An open row's cells lose their bottom border (the details continue it). Stacked, a row is a wrapping
 * line whose cells lose their own borders and padding; the message takes a line of its own.
 */
function rowSx(open: boolean) {
  return {
    ...(open ? { "& > td": { borderBottom: "none" } } : {}),
    [STACKED]: {
      display: "flex",
      flexWrap: "wrap",
      alignItems: "center",
      columnGap: 1.5,
      py: 0.5,
      borderBottom: open ? 0 : 1,
      borderColor: "divider",
      "& > td": { display: "block", border: 0, p: 0 },
    },
  } as const;
}

/** One activity entry; the button in the first cell expands its details below it. */
export const ActivityRow = memo(function ActivityRow({ activity }: ActivityRowProps) {
  const locale = useLocale();
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const detailsId = `activity-${activity.id}-details`;
  const repeats = repeatsOf(activity);
  const message = showInvisible(activity.message);
  const type = activity.type as string;
  return (
    <>
      <TableRow hover sx={rowSx(open)}>
        <TableCell padding="checkbox">
          <IconButton
            id={activityToggleId(activity.id)}
            size="small"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={open ? t("activity.hideDetails", { message }) : t("activity.showDetails", { message })}
            onClick={() => setOpen(!open)}
            sx={{ [STACKED]: { width: 44, height: 44 } }}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell sx={{ whiteSpace: "nowrap" }}>
          <time dateTime={activity.timestamp} title={formatExact(activity.timestamp, locale)}>
            {formatShort(activity.timestamp, locale)}
          </time>
        </TableCell>
        <TableCell sx={{ whiteSpace: "nowrap" }}>{t(`activity.type.${type}`, { defaultValue: type })}</TableCell>
        <TableCell>
          <LevelChip level={activity.level} />
        </TableCell>
        <TableCell sx={{ minWidth: 200, overflowWrap: "anywhere", [STACKED]: { flexBasis: "100%", minWidth: 0, pb: 1 } }}>
          <OutsideText text={activity.message} />
          {repeats > 0 && <Chip size="small" variant="outlined" label={t("activity.times", { count: repeats + 1 })} sx={{ ml: 1 }} />}
        </TableCell>
      </TableRow>
      {open && (
        <TableRow id={detailsId} sx={{ [STACKED]: { display: "block", borderBottom: 1, borderColor: "divider" } }}>
          <TableCell colSpan={COLUMNS} sx={{ maxWidth: 0, [STACKED]: { display: "block", maxWidth: "none", border: 0, p: 0 } }}>
            <ActivityDetails activity={activity} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
});
