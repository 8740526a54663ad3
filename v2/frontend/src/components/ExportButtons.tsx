import DownloadIcon from "@mui/icons-material/Download";
import Button from "@mui/material/Button";
import ButtonGroup from "@mui/material/ButtonGroup";
import CircularProgress from "@mui/material/CircularProgress";
import FormHelperText from "@mui/material/FormHelperText";
import Stack from "@mui/material/Stack";
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
  return (
    <Stack sx={{ alignItems: "flex-end" }}>
      <ButtonGroup size="small" variant="outlined" aria-label="Export the log as shown">
        {FORMATS.map(({ format, label }) => (
          <Button
            key={format}
            aria-label={`Export ${label}`}
            disabled={exporting !== null}
            onClick={() => onExport(format)}
            startIcon={exporting === format ? <CircularProgress size={14} color="inherit" aria-label={`Exporting ${label}`} /> : <DownloadIcon />}
          >
            {label}
          </Button>
        ))}
      </ButtonGroup>
      {error && (
        <FormHelperText error role="alert" sx={{ m: 0 }}>
          Could not export: {error.message}
        </FormHelperText>
      )}
    </Stack>
  );
}
