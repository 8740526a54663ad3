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
import { useIsFetching } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/client";
import type { DashboardConfig } from "../api/dashboardConfig";
import { useLastUpdated } from "../api/lastUpdated";
import { REFRESH_INTERVAL_OPTIONS } from "../config";
import { formatClock } from "../utils/time";
import { useLocale } from "../i18n/useLocale";

export interface RefreshControlsProps {
  /** Undefined until the server's dashboard config has loaded. */
  config: DashboardConfig | undefined;
  saving: boolean;
  /** Saving failed. */
  error: ApiError | null;
  /** Loading the settings failed; `onRetryLoad` tries again. */
  loadError: ApiError | null;
  onRetryLoad: () => void;
  /** The connection is lost (or a token is needed): the last update is marked as old. */
  stale: boolean;
  onAutoRefreshChange: (enabled: boolean) => void;
  onIntervalChange: (seconds: number) => void;
  onRefresh: () => void;
}

/*
 * The time of the newest data and the refresh spinner read the query cache themselves: every fetch
 * changes them, and only they render again, not the page around them.
 */
function UpdatedText({ stale }: Pick<RefreshControlsProps, "stale">) {
  const lastUpdated = useLastUpdated();
  const locale = useLocale();
  const { t } = useTranslation();
  if (lastUpdated === null) {
    return (
      <Typography variant="body2" sx={{ color: "text.secondary" }}>
        {t("header.notUpdated")}
      </Typography>
    );
  }
  const time = <time>{formatClock(lastUpdated, locale)}</time>;
  return (
    <Typography variant="body2" sx={{ color: stale ? "warning.main" : "text.secondary", fontWeight: stale ? 500 : undefined }}>
      {stale ? t("header.staleSince") : t("header.updated")} {time}
    </Typography>
  );
}

function RefreshIconOrSpinner() {
  // The spinner takes the icon's 24 px, so the button keeps its size (no layout shift per fetch).
  return useIsFetching() > 0 ? <CircularProgress size={24} aria-hidden /> : <RefreshIcon />;
}

export function RefreshControls(props: RefreshControlsProps) {
  const { t } = useTranslation();
  const { config, saving, error, loadError, stale } = props;
  const interval = config?.refresh_interval_seconds;
  const known = REFRESH_INTERVAL_OPTIONS.some((option) => option.seconds === interval);
  const errorText = error ? error.fields.refresh_interval_seconds ?? error.fields.auto_refresh_enabled ?? error.message : null;
  return (
    <Stack direction="row" useFlexGap sx={{ alignItems: "center", flexWrap: "wrap", gap: 1.5 }}>
      <FormControlLabel
        label={t("header.autoRefresh")}
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
        label={t("header.refreshEvery")}
        value={interval ?? ""}
        disabled={!config || saving}
        onChange={(event) => props.onIntervalChange(Number(event.target.value))}
        slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        sx={{ minWidth: 120 }}
      >
        {interval === undefined && <option value="">—</option>}
        {interval !== undefined && !known && <option value={interval}>{t("header.seconds", { count: interval })}</option>}
        {REFRESH_INTERVAL_OPTIONS.map((option) => (
          <option key={option.seconds} value={option.seconds}>
            {option.label}
          </option>
        ))}
      </TextField>
      {saving && <CircularProgress size={18} aria-label={t("header.saving")} />}
      <UpdatedText stale={stale} />
      <IconButton aria-label={t("header.refreshNow")} onClick={props.onRefresh}>
        <RefreshIconOrSpinner />
      </IconButton>
      {loadError && !config && (
        <FormHelperText error role="alert" sx={{ flexBasis: "100%", m: 0 }}>
          {t("header.loadFailed", { error: loadError.message })}{" "}
          <Button size="small" onClick={props.onRetryLoad} aria-label={t("header.retryLoadLabel")}>
            {t("header.retry")}
          </Button>
        </FormHelperText>
      )}
      {errorText && (
        <FormHelperText error role="alert" sx={{ flexBasis: "100%", m: 0 }}>
          {t("header.saveFailed", { error: errorText })}
        </FormHelperText>
      )}
    </Stack>
  );
}
