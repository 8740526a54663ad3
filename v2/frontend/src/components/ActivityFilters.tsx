import CheckIcon from "@mui/icons-material/Check";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Stack from "@mui/material/Stack";
import Switch from "@mui/material/Switch";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ACTIVITY_TYPES, type ActivityType } from "../api/activity";
import { ACTIVITY_DAY_OPTIONS } from "../config";
import { periodsWithin } from "../utils/periods";

export interface ActivityFiltersProps {
  days: number;
  /** Empty = every type. */
  types: ActivityType[];
  onDaysChange: (days: number) => void;
  onTypesChange: (types: ActivityType[]) => void;
  /** Warnings and errors only. */
  problemsOnly: boolean;
  onProblemsOnlyChange: (problemsOnly: boolean) => void;
  /** The retention: no longer period is offered (it would only draw empty bars). */
  retentionDays?: number;
}

/**
 * The period as the server reads `days`: 0 since 00:00 UTC today, else the last `days` × 24 h
 * (so 1 and 2 read in hours: "Last 24 hours").
 */
function periodKey(days: number): [string, { count: number }] {
  if (days === 0) return ["filters.period.today", { count: 0 }];
  if (days <= 2) return ["filters.period.hours", { count: days * 24 }];
  return ["filters.period.days", { count: days }];
}

/** Period, type and level filters shared by the activity chart, the log and its export. */
export function ActivityFilters(props: ActivityFiltersProps) {
  const { days, types, onDaysChange, onTypesChange, retentionDays } = props;
  const { t } = useTranslation();
  const options = periodsWithin(ACTIVITY_DAY_OPTIONS, retentionDays);
  const longest = options[options.length - 1] ?? days;
  // A retention cut below the chosen period takes the period down with it.
  useEffect(() => {
    if (days > longest) onDaysChange(longest);
  }, [days, longest, onDaysChange]);
  const toggle = (type: ActivityType) =>
    onTypesChange(types.includes(type) ? types.filter((t) => t !== type) : ACTIVITY_TYPES.filter((t) => t === type || types.includes(t)));
  const chip = (label: string, pressed: boolean, onClick: () => void) => (
    <Chip
      key={label}
      label={label}
      clickable
      onClick={onClick}
      aria-pressed={pressed}
      color={pressed ? "primary" : "default"}
      variant={pressed ? "filled" : "outlined"}
      icon={pressed ? <CheckIcon /> : undefined}
    />
  );
  return (
    <Stack direction={{ xs: "column", md: "row" }} useFlexGap sx={{ gap: 2, alignItems: { md: "center" } }}>
      <TextField
        select
        size="small"
        label={t("filters.periodLabel")}
        value={days}
        onChange={(event) => onDaysChange(Number(event.target.value))}
        slotProps={{ select: { native: true } }}
        sx={{ minWidth: 200 }}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {t(...periodKey(option))}
          </option>
        ))}
      </TextField>
      <Box role="group" aria-labelledby="activity-type-filter-label">
        <Typography id="activity-type-filter-label" variant="caption" sx={{ color: "text.secondary", display: "block", mb: 0.5 }}>
          {t("filters.types")}
        </Typography>
        <Stack direction="row" useFlexGap sx={{ flexWrap: "wrap", gap: 1 }}>
          {chip(t("filters.allTypes"), types.length === 0, () => onTypesChange([]))}
          {ACTIVITY_TYPES.map((type) => chip(t(`chart.types.${type}`), types.includes(type), () => toggle(type)))}
        </Stack>
      </Box>
      <FormControlLabel
        label={t("filters.problemsOnly")}
        control={<Switch checked={props.problemsOnly} onChange={(event) => props.onProblemsOnlyChange(event.target.checked)} />}
      />
    </Stack>
  );
}
