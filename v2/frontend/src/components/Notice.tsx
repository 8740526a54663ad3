import Alert from "@mui/material/Alert";
import Snackbar from "@mui/material/Snackbar";
import { useTranslation } from "react-i18next";

export interface NoticeState {
  /** Changes with every notice so a repeated message shows again. */
  id: number;
  open: boolean;
  /** info: something began (a run); success, warning, error: how it ended. */
  severity: "info" | "success" | "warning" | "error";
  message: string;
}

export interface NoticeProps {
  notice: NoticeState | null;
  onClose: () => void;
}

/** The outcome of an action (task run, pause, resume). Errors and warnings stay until dismissed. */
export function Notice({ notice, onClose }: NoticeProps) {
  const { t } = useTranslation();
  if (!notice) return null;
  const stays = notice.severity === "error" || notice.severity === "warning";
  return (
    <Snackbar
      key={notice.id}
      open={notice.open}
      autoHideDuration={stays ? null : 6000}
      onClose={(_event, reason) => {
        if (reason !== "clickaway") onClose();
      }}
      anchorOrigin={{ vertical: "bottom", horizontal: "center" }}
    >
      <Alert severity={notice.severity} variant="filled" onClose={onClose} closeText={t("toasts.close")} sx={{ width: "100%" }}>
        {notice.message}
      </Alert>
    </Snackbar>
  );
}
