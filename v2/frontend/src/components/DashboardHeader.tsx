import PlaylistPlayIcon from "@mui/icons-material/PlaylistPlay";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { PLAYLIST_URL } from "../config";
import { ColorModeSelect } from "./ColorModeSelect";
import { LanguageSelect } from "./LanguageSelect";

export interface DashboardHeaderProps {
  /** The refresh controls. */
  children: ReactNode;
}

export function DashboardHeader({ children }: DashboardHeaderProps) {
  const { t } = useTranslation();
  return (
    <Box component="header" sx={{ display: "grid", gap: 1.5, mb: 3 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1.5 }}>
        <Typography variant="h1">{t("header.title")}</Typography>
        <Stack direction="row" useFlexGap sx={{ alignItems: "center", flexWrap: "wrap", gap: 1.5 }}>
          <LanguageSelect />
          <ColorModeSelect />
          <Button href={PLAYLIST_URL} variant="outlined" startIcon={<PlaylistPlayIcon />}>
            {t("header.playlist")}
          </Button>
        </Stack>
      </Stack>
      {children}
    </Box>
  );
}
