import { useTranslation } from "react-i18next";
import { useLocale } from "../i18n/useLocale";
import { formatValue, humanize } from "../utils/format";
import { DetailList } from "./DetailList";

/** An ISO 8601 date-time, as the service writes them (e.g. `cutoff`). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export interface TaskResultProps {
  result: Record<string, unknown>;
}

/**
 * A run's result as label/value pairs: known keys with their own words (urls → "Sources"), other
 * keys humanised; numbers and date-times in the page's language.
 */
export function TaskResult({ result }: TaskResultProps) {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const label = (key: string) => (i18n.exists(`tasks.result.${key}`) ? t(`tasks.result.${key}`) : humanize(key));
  const value = (raw: unknown): string => {
    if (typeof raw === "number") return new Intl.NumberFormat(locale).format(raw);
    if (typeof raw === "string" && ISO_DATE_TIME.test(raw) && !Number.isNaN(Date.parse(raw))) {
      return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(raw));
    }
    if (Array.isArray(raw) && raw.length === 0) return t("tasks.none");
    if (Array.isArray(raw) && (raw.length > 5 || raw.some((item) => typeof item === "object" && item !== null))) {
      return t("tasks.items", { count: raw.length });
    }
    return formatValue(raw);
  };
  return <DetailList items={Object.entries(result).map(([key, raw]) => ({ label: label(key), value: value(raw) }))} />;
}
