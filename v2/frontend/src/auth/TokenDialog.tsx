import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import TextField from "@mui/material/TextField";
import { useState, type SyntheticEvent } from "react";

export interface TokenDialogProps {
  open: boolean;
  /** The token that was sent was refused. */
  rejected: boolean;
  onSubmit: (token: string) => void;
  onCancel: () => void;
}

/** Asks for the API token after a 401; the caller stores it and retries the requests that failed. */
export function TokenDialog({ open, rejected, onSubmit, onCancel }: TokenDialogProps) {
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
        <DialogTitle id="token-dialog-title">API token required</DialogTitle>
        <DialogContent>
          <DialogContentText id="token-dialog-text" sx={{ mb: 2 }}>
            The server is protected by an API token (its API_TOKEN setting). The token is kept in this browser tab
            only and sent with every request.
          </DialogContentText>
          <TextField
            autoFocus
            fullWidth
            required
            type="password"
            label="API token"
            autoComplete="current-password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            error={rejected}
            helperText={rejected ? "The server refused the token that was sent; enter the current one." : " "}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={!token.trim()}>
            Save and retry
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
