import CircularProgress from "@mui/material/CircularProgress";
import InputAdornment from "@mui/material/InputAdornment";
import TextField from "@mui/material/TextField";
import type { ApiError } from "../api/client";
import { MAX_RETENTION_DAYS } from "../config";

export interface RetentionControlProps {
  /** The value to show: the one being saved or refused, else the server's; undefined while loading. */
  value: number | undefined;
  saving: boolean;
  error: ApiError | null;
  onChange: (days: number) => void;
}

const OPTIONS = Array.from({ length: MAX_RETENTION_DAYS + 1 }, (_, days) => days);

function helper(value: number | undefined, saving: boolean, error: ApiError | null): string {
  if (error) return error.fields.retention_days ?? error.message;
  if (saving) return "Saving…";
  if (value === undefined) return "Loading the current setting…";
  return value === 0 ? "Only today's activity is kept." : `Activity older than ${value} days is deleted.`;
}

/** The server-side retention of the activity log (PUT /config/dashboard). */
export function RetentionControl({ value, saving, error, onChange }: RetentionControlProps) {
  return (
    <TextField
      select
      size="small"
      label="Keep activity for"
      value={value ?? ""}
      disabled={value === undefined || saving}
      error={error !== null}
      helperText={helper(value, saving, error)}
      onChange={(event) => onChange(Number(event.target.value))}
      slotProps={{
        select: { native: true },
        inputLabel: { shrink: true },
        input: {
          endAdornment: saving ? (
            <InputAdornment position="end" sx={{ mr: 3 }}>
              <CircularProgress size={16} aria-label="Saving retention" />
            </InputAdornment>
          ) : undefined,
        },
      }}
      sx={{ width: { xs: "100%", sm: 260 } }}
    >
      {value === undefined && <option value="">—</option>}
      {OPTIONS.map((days) => (
        <option key={days} value={days}>
          {days === 0 ? "Today only" : days === 1 ? "1 day" : `${days} days`}
        </option>
      ))}
    </TextField>
  );
}
