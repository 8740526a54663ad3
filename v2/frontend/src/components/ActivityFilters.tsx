import CheckIcon from "@mui/icons-material/Check";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Stack from "@mui/material/Stack";
import Switch from "@mui/material/Switch";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { ACTIVITY_TYPES, type ActivityType } from "../api/activity";
import { ACTIVITY_DAY_OPTIONS } from "../config";
import { ACTIVITY_TYPE_LABELS } from "./labels";

export interface ActivityFiltersProps {
  days: number;
  /** Empty = every type. */
  types: ActivityType[];
  onDaysChange: (days: number) => void;
  onTypesChange: (types: ActivityType[]) => void;
  /** Warnings and errors only. */
  problemsOnly: boolean;
  onProblemsOnlyChange: (problemsOnly: boolean) => void;
}

function periodLabel(days: number): string {
  if (days === 0) return "Today (since 00:00 UTC)";
  if (days === 1) return "Since yesterday";
  return `Last ${days} days`;
}

/** Period, type and level filters shared by the activity chart, the log and its export. */
export function ActivityFilters(props: ActivityFiltersProps) {
  const { days, types, onDaysChange, onTypesChange } = props;
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
        label="Period"
        value={days}
        onChange={(event) => onDaysChange(Number(event.target.value))}
        slotProps={{ select: { native: true } }}
        sx={{ minWidth: 200 }}
      >
        {ACTIVITY_DAY_OPTIONS.map((option) => (
          <option key={option} value={option}>
            {periodLabel(option)}
          </option>
        ))}
      </TextField>
      <Box role="group" aria-labelledby="activity-type-filter-label">
        <Typography id="activity-type-filter-label" variant="caption" sx={{ color: "text.secondary", display: "block", mb: 0.5 }}>
          Types
        </Typography>
        <Stack direction="row" useFlexGap sx={{ flexWrap: "wrap", gap: 1 }}>
          {chip("All types", types.length === 0, () => onTypesChange([]))}
          {ACTIVITY_TYPES.map((type) => chip(ACTIVITY_TYPE_LABELS[type], types.includes(type), () => toggle(type)))}
        </Stack>
      </Box>
      <FormControlLabel
        label="Problems only"
        control={<Switch checked={props.problemsOnly} onChange={(event) => props.onProblemsOnlyChange(event.target.checked)} />}
      />
    </Stack>
  );
}
