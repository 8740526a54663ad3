import { useTheme } from "@mui/material/styles";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Glance } from "../utils/problems";

/** A filled circle in `colour`: the tab's icon says ok / warning / error before the tab is opened. */
export function faviconHref(colour: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${colour}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function iconLink(): HTMLLinkElement {
  const existing = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  if (existing) return existing;
  const link = document.createElement("link");
  link.rel = "icon";
  document.head.append(link);
  return link;
}

/** The problem count in the tab's title ("(2) ⚠ AceStream dashboard") and the state in its icon. */
export function useTabStatus({ problems, overall }: Glance): void {
  const { t } = useTranslation();
  const { palette } = useTheme();
  const count = problems.length;
  const colour = { ok: palette.success.main, warning: palette.warning.main, error: palette.error.main, unknown: palette.grey[500] }[overall];
  useEffect(() => {
    const name = t("summary.tabTitle");
    document.title = count > 0 ? t("summary.tabTitleProblems", { count, name }) : name;
  }, [t, count]);
  useEffect(() => {
    const link = iconLink();
    link.type = "image/svg+xml";
    link.href = faviconHref(colour);
  }, [colour]);
}
