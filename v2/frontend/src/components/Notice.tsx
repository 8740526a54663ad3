import Alert from "@mui/material/Alert";
import Snackbar from "@mui/material/Snackbar";

export interface NoticeState {
  /** Changes with every notice so a repeated message shows again. */
  id: number;
  open: boolean;
  severity: "success" | "error";
  message: string;
}

export interface NoticeProps {
  notice: NoticeState | null;
  onClose: () => void;
}

/** The outcome of an action (task run, pause, resume). Errors stay until dismissed. */
export function Notice({ notice, onClose }: NoticeProps) {
  if (!notice) return null;
  return (
    <Snackbar
      key={notice.id}
      open={notice.open}
      autoHideDuration={notice.severity === "error" ? null : 6000}
      onClose={(_event, reason) => {
        if (reason !== "clickaway") onClose();
      }}
      anchorOrigin={{ vertical: "bottom", horizontal: "center" }}
    >
      <Alert severity={notice.severity} variant="filled" onClose={onClose} sx={{ width: "100%" }}>
        {notice.message}
      </Alert>
    </Snackbar>
  );
}
