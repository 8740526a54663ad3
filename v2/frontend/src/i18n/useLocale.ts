import { useTranslation } from "react-i18next";

/** The page's language as a BCP 47 tag, for `Intl.DateTimeFormat` / `Intl.NumberFormat`; re-renders on a change. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage ?? "en";
}
