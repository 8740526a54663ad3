import RefreshIcon from "@mui/icons-material/Refresh";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import FormControlLabel from "@mui/material/FormControlLabel";
import FormHelperText from "@mui/material/FormHelperText";
import IconButton from "@mui/material/IconButton";
import Stack from "@mui/material/Stack";
import Switch from "@mui/material/Switch";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import type { ApiError } from "../api/client";
import type { DashboardConfig } from "../api/dashboardConfig";
import { REFRESH_INTERVAL_OPTIONS } from "../config";
import { formatClock } from "../utils/time";

export interface RefreshControlsProps {
  /** Undefined until the server's dashboard config has loaded. */
  config: DashboardConfig | undefined;
  saving: boolean;
  /** Saving failed. */
  error: ApiError | null;
  /** Loading the settings failed; `onRetryLoad` tries again. */
  loadError: ApiError | null;
  onRetryLoad: () => void;
  /** Epoch ms of the newest data on the page, or null. */
  lastUpdated: number | null;
  refreshing: boolean;
  onAutoRefreshChange: (enabled: boolean) => void;
  onIntervalChange: (seconds: number) => void;
  onRefresh: () => void;
}

export function RefreshControls(props: RefreshControlsProps) {
  const { config, saving, error, loadError, lastUpdated, refreshing } = props;
  const interval = config?.refresh_interval_seconds;
  const known = REFRESH_INTERVAL_OPTIONS.some((option) => option.seconds === interval);
  const errorText = error ? error.fields.refresh_interval_seconds ?? error.fields.auto_refresh_enabled ?? error.message : null;
  return (
    <Stack direction="row" useFlexGap sx={{ alignItems: "center", flexWrap: "wrap", gap: 1.5 }}>
      <FormControlLabel
        label="Auto-refresh"
        disabled={!config || saving}
        control={
          <Switch
            checked={config?.auto_refresh_enabled ?? false}
            onChange={(event) => props.onAutoRefreshChange(event.target.checked)}
          />
        }
      />
      <TextField
        select
        size="small"
        label="Refresh every"
        value={interval ?? ""}
        disabled={!config || saving}
        onChange={(event) => props.onIntervalChange(Number(event.target.value))}
        slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        sx={{ minWidth: 120 }}
      >
        {interval === undefined && <option value="">—</option>}
        {interval !== undefined && !known && <option value={interval}>{interval} s</option>}
        {REFRESH_INTERVAL_OPTIONS.map((option) => (
          <option key={option.seconds} value={option.seconds}>
            {option.label}
          </option>
        ))}
      </TextField>
      {saving && <CircularProgress size={18} aria-label="Saving refresh settings" />}
      <Typography variant="body2" sx={{ color: "text.secondary" }}>
        {lastUpdated === null ? "Not updated yet" : <>Updated <time>{formatClock(lastUpdated)}</time></>}
      </Typography>
      <IconButton aria-label="Refresh now" onClick={props.onRefresh}>
        {refreshing ? <CircularProgress size={20} aria-hidden /> : <RefreshIcon />}
      </IconButton>
      {loadError && !config && (
        <FormHelperText error role="alert" sx={{ flexBasis: "100%", m: 0 }}>
          Could not load refresh settings: {loadError.message}{" "}
          <Button size="small" onClick={props.onRetryLoad} aria-label="Retry loading refresh settings">
            Retry
          </Button>
        </FormHelperText>
      )}
      {errorText && (
        <FormHelperText error role="alert" sx={{ flexBasis: "100%", m: 0 }}>
          Could not save refresh settings: {errorText}
        </FormHelperText>
      )}
    </Stack>
  );
}
