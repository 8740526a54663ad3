import MenuItem from "@mui/material/MenuItem";
import TextField from "@mui/material/TextField";
import { useColorScheme } from "@mui/material/styles";
import { useTranslation } from "react-i18next";

const MODES = ["system", "light", "dark"] as const;
type ColorMode = (typeof MODES)[number];

/** Light, dark, or the system's preference; MUI keeps the choice in localStorage (COLOR_MODE_STORAGE_KEY). */
export function ColorModeSelect() {
  const { t } = useTranslation();
  const { mode, setMode } = useColorScheme();
  return (
    <TextField
      select
      size="small"
      label={t("theme.label")}
      value={mode ?? "system"}
      onChange={(event) => setMode(event.target.value as ColorMode)}
      sx={{ minWidth: 130 }}
    >
      {MODES.map((option) => (
        <MenuItem key={option} value={option}>
          {t(`theme.mode.${option}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}
