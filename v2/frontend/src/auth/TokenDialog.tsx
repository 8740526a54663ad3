import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import TextField from "@mui/material/TextField";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";

export interface TokenDialogProps {
  open: boolean;
  /** The token that was sent was refused. */
  rejected: boolean;
  onSubmit: (token: string) => void;
  onCancel: () => void;
}

/** Asks for the API token after a 401; the caller stores it and retries the requests that failed. */
export function TokenDialog({ open, rejected, onSubmit, onCancel }: TokenDialogProps) {
  const { t } = useTranslation();
  const [token, setToken] = useState("");
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    onSubmit(token.trim());
    setToken("");
  };
  return (
    <Dialog open={open} onClose={onCancel} aria-labelledby="token-dialog-title" aria-describedby="token-dialog-text">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="token-dialog-title">{t("auth.dialogTitle")}</DialogTitle>
        <DialogContent>
          <DialogContentText id="token-dialog-text" sx={{ mb: 2 }}>
            {t("auth.dialogText")}
          </DialogContentText>
          <TextField
            autoFocus
            fullWidth
            required
            type="password"
            label={t("auth.token")}
            autoComplete="current-password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            error={rejected}
            helperText={rejected ? t("auth.refused") : " "}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>{t("auth.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={!token.trim()}>
            {t("auth.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
