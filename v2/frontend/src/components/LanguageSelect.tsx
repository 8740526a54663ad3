import MenuItem from "@mui/material/MenuItem";
import TextField from "@mui/material/TextField";
import { useTranslation } from "react-i18next";
import { LANGUAGES } from "../i18n";

/** The page's language; i18next keeps the choice in localStorage. */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <TextField
      select
      size="small"
      label={t("common.language")}
      value={i18n.resolvedLanguage ?? "en"}
      onChange={(event) => void i18n.changeLanguage(event.target.value)}
      sx={{ minWidth: 130 }}
    >
      {LANGUAGES.map((language) => (
        <MenuItem key={language.code} value={language.code} lang={language.code}>
          {language.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
