import KeyIcon from "@mui/icons-material/Key";
import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Button from "@mui/material/Button";
import { useTranslation } from "react-i18next";
import type { Connection } from "../api/connection";
import { formatClock } from "../utils/time";
import { useLocale } from "../i18n/useLocale";

export interface ConnectionBannerProps {
  connection: Connection;
  /** Whether the page polls by itself (auto-refresh on), so it can say it keeps retrying. */
  polling: boolean;
  onRetry: () => void;
  onEnterToken: () => void;
}

/**
 * The one place the page says it cannot reach the service or needs the API token, instead of an
 * alert in every section. An alert role: it is announced when it appears.
 */
export function ConnectionBanner({ connection, polling, onRetry, onEnterToken }: ConnectionBannerProps) {
  const locale = useLocale();
  const { t } = useTranslation();
  if (connection.state === "online") return null;
  if (connection.state === "token") {
    return (
      <Alert
        severity="warning"
        role="alert"
        action={
          <Button color="inherit" startIcon={<KeyIcon />} onClick={onEnterToken}>
            {t("auth.enterToken")}
          </Button>
        }
      >
        <AlertTitle>{t("auth.needed")}</AlertTitle>
        {t("auth.neededDetail")}
      </Alert>
    );
  }
  const title =
    connection.since === null ? t("connection.unreachable") : t("connection.lostSince", { time: formatClock(connection.since, locale) });
  return (
    <Alert
      severity="error"
      role="alert"
      action={
        <Button color="inherit" onClick={onRetry}>
          {t("connection.retryNow")}
        </Button>
      }
    >
      <AlertTitle>{polling ? t("connection.retrying", { title }) : title}</AlertTitle>
      {t("connection.detail")}
    </Alert>
  );
}
