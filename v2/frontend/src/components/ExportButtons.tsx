import DownloadIcon from "@mui/icons-material/Download";
import Button from "@mui/material/Button";
import ButtonGroup from "@mui/material/ButtonGroup";
import CircularProgress from "@mui/material/CircularProgress";
import FormHelperText from "@mui/material/FormHelperText";
import Stack from "@mui/material/Stack";
import { useTranslation } from "react-i18next";
import type { ExportFormat } from "../api/activity";
import type { ApiError } from "../api/client";

export interface ExportButtonsProps {
  /** The format being downloaded, or null. */
  exporting: ExportFormat | null;
  error: ApiError | null;
  onExport: (format: ExportFormat) => void;
}

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: "csv", label: "CSV" },
  { format: "ndjson", label: "NDJSON" },
];

/** Download what the log shows (its filters) as CSV or NDJSON. */
export function ExportButtons({ exporting, error, onExport }: ExportButtonsProps) {
  const { t } = useTranslation();
  return (
    <Stack sx={{ alignItems: "flex-end" }}>
      <ButtonGroup size="small" variant="outlined" aria-label={t("activity.export.group")}>
        {FORMATS.map(({ format, label }) => (
          <Button
            key={format}
            aria-label={t("activity.export.button", { format: label })}
            disabled={exporting !== null}
            onClick={() => onExport(format)}
            sx={{ minHeight: { xs: 44, md: 30 } }}
            startIcon={exporting === format ? <CircularProgress size={14} color="inherit" aria-label={t("activity.export.exporting", { format: label })} /> : <DownloadIcon />}
          >
            {label}
          </Button>
        ))}
      </ButtonGroup>
      {error && (
        <FormHelperText error role="alert" sx={{ m: 0 }}>
          {t("activity.export.failed", { reason: error.message })}
        </FormHelperText>
      )}
    </Stack>
  );
}
