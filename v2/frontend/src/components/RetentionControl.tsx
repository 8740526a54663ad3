import SettingsIcon from "@mui/icons-material/Settings";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import TextField from "@mui/material/TextField";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, type ApiError } from "../api/client";
import { useRetentionPreview, type RetentionPreview } from "../api/dashboardConfig";
import { MAX_RETENTION_DAYS } from "../config";
import { useLocale } from "../i18n/useLocale";
import { formatExact } from "../utils/time";
import { formatCount } from "../utils/units";

export interface RetentionControlProps {
  /** The server's retention (or the one being saved); undefined while loading. */
  value: number | undefined;
  saving: boolean;
  error: ApiError | null;
  /** Save a new retention; resolves once the server took it (the dialog then closes). */
  onSave: (days: number) => Promise<unknown>;
}

const OPTIONS = Array.from({ length: MAX_RETENTION_DAYS + 1 }, (_, days) => days);

/** "What this deletes" step: the server's count for `days`, then Delete / Cancel. */
function Confirmation({ days, preview, error }: { days: number; preview: RetentionPreview | undefined; error: unknown }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (error) return <Alert severity="error">{t("settings.retention.previewFailed", { reason: errorMessage(error) })}</Alert>;
  if (!preview) {
    return (
      <DialogContentText role="status">
        <CircularProgress size={16} sx={{ mr: 1, verticalAlign: "middle" }} aria-hidden />
        {t("settings.retention.counting")}
      </DialogContentText>
    );
  }
  const cutoff = formatExact(preview.cutoff, locale);
  if (preview.rows_to_delete === 0) return <DialogContentText role="status">{t("settings.retention.nothingDeleted", { cutoff })}</DialogContentText>;
  return (
    <Alert severity="warning" role="status">
      {t("settings.retention.confirm", { count: preview.rows_to_delete, formatted: formatCount(preview.rows_to_delete, locale), cutoff })}{" "}
      {t("settings.retention.keepsFrom", { count: days })}
    </Alert>
  );
}

/**
 * The server-side retention of the activity log (PUT /config/dashboard), behind a Settings button:
 * choosing a value changes nothing; Save first shows how many entries it would delete (the
 * server's count, GET /config/dashboard/retention-preview) and only a second, explicit press saves.
 */
export function RetentionControl({ value, saving, error, onSave }: RetentionControlProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const days = draft ?? value ?? 0;
  const preview = useRetentionPreview(days, open && confirming);
  const close = () => {
    setOpen(false);
    setConfirming(false);
    setDraft(null);
  };
  const save = () => void onSave(days).then(close, () => undefined);
  const deletes = (preview.data?.rows_to_delete ?? 0) > 0;
  const helper = days === 0 ? t("settings.retention.todayOnly") : t("settings.retention.olderDeleted", { count: days });

  return (
    <>
      <Button variant="outlined" startIcon={<SettingsIcon />} onClick={() => setOpen(true)} aria-haspopup="dialog" sx={{ minHeight: 44 }}>
        {t("settings.open")}
      </Button>
      <Dialog open={open} onClose={saving ? undefined : close} aria-labelledby="settings-title" fullWidth maxWidth="xs">
        <DialogTitle id="settings-title">{t("settings.title")}</DialogTitle>
        <DialogContent>
          <TextField
            select
            fullWidth
            label={t("settings.retention.label")}
            value={value === undefined && draft === null ? "" : days}
            disabled={value === undefined || saving || confirming}
            helperText={value === undefined ? t("settings.retention.loading") : helper}
            onChange={(event) => setDraft(Number(event.target.value))}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
            sx={{ mt: 1, mb: confirming ? 2 : 0 }}
          >
            {value === undefined && <option value="">—</option>}
            {OPTIONS.map((option) => (
              <option key={option} value={option}>
                {t("settings.retention.option", { count: option })}
              </option>
            ))}
          </TextField>
          {confirming && <Confirmation days={days} preview={preview.data} error={preview.error} />}
          {error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {error.fields.retention_days ?? error.message}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={saving} sx={{ minHeight: 44 }}>
            {t("settings.cancel")}
          </Button>
          {confirming ? (
            <Button
              variant="contained"
              color={deletes ? "error" : "primary"}
              onClick={save}
              disabled={!preview.data || saving}
              startIcon={saving ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined}
              sx={{ minHeight: 44 }}
            >
              {deletes ? t("settings.retention.deleteAndSave") : t("settings.save")}
            </Button>
          ) : (
            <Button variant="contained" onClick={() => setConfirming(true)} disabled={value === undefined || days === value} sx={{ minHeight: 44 }}>
              {t("settings.save")}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
