import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import type { EntityUptime, Uptime, UptimeWindow } from "../api/uptime";
import { useNow } from "../hooks/useNow";
import { useLocale } from "../i18n/useLocale";
import { formatAge, formatPercent, stateClass } from "../utils/uptime";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";
import { stateWord, UptimeBar, UptimeLegend } from "./UptimeBar";
import { UptimeStreams } from "./UptimeStreams";

const WINDOWS: UptimeWindow[] = ["1d", "7d", "30d", "90d"];

const STATE_COLOUR = { up: "success.main", down: "error.main", paused: "text.secondary", unknown: "text.secondary" };

export interface UptimeCardProps {
  query: SectionQuery<Uptime>;
}

function EntityRow({ entity, hourly }: { entity: EntityUptime; hourly: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const age = formatAge(Math.max(0, (now - Date.parse(entity.since)) / 1000), t("uptime.underMinute"));
  const label = entity.kind === "task" ? t("uptime.taskName", { name: entity.name }) : entity.name;
  const ratios = WINDOWS.map((window) => {
    const ratio = entity.windows[window] ?? null;
    return `${t(`uptime.windows.${window}`)} ${ratio === null ? t("uptime.noData") : formatPercent(ratio, locale)}`;
  });
  return (
    <Box component="li" sx={{ display: "grid", gap: 0.75 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "baseline", flexWrap: "wrap", columnGap: 1.5, rowGap: 0.5 }}>
        <Typography variant="body2" component="h3" sx={{ fontWeight: 600 }}>
          {label}
        </Typography>
        <Typography variant="body2" sx={{ color: STATE_COLOUR[stateClass(entity.state)] }}>
          {t("uptime.stateFor", { state: stateWord(t, entity.state), age })}
        </Typography>
        <Typography variant="caption" sx={{ color: "text.secondary", ml: { sm: "auto" } }}>
          {ratios.join(" · ")}
        </Typography>
      </Stack>
      <UptimeBar name={label} buckets={entity.days} hourly={hourly} />
    </Box>
  );
}

/**
 * Per peer and task: its state and for how long, uptime over 24 h to 90 d, and a bar of days; the
 * streams seen in the window in a compact list under them.
 */
export function UptimeCard({ query }: UptimeCardProps) {
  const { t } = useTranslation();
  const hourly = query.data?.bucket_seconds === 3600;
  const entities = query.data?.entities ?? [];
  const buckets = entities[0]?.days.length ?? 0;
  const days = hourly ? Math.round(buckets / 24) : buckets;
  const barred = entities.filter((entity) => entity.kind !== "stream");
  const streams = entities.filter((entity) => entity.kind === "stream");
  return (
    <SectionCard id="uptime" title={t("uptime.title")} busy={query.isPending}>
      <QueryBoundary label={t("uptime.sectionLabel")} query={query} isEmpty={entities.length === 0} empty={t("uptime.empty")}>
        <Stack sx={{ gap: 2 }}>
          <Stack component="ul" sx={{ gap: 2, m: 0, p: 0, listStyle: "none" }}>
            {barred.map((entity) => (
              <EntityRow key={`${entity.kind}:${entity.id}`} entity={entity} hourly={hourly} />
            ))}
          </Stack>
          <UptimeStreams streams={streams} days={days} />
          <UptimeLegend />
          <Typography variant="caption" sx={{ color: "text.secondary" }}>
            {t("uptime.footnote")}
          </Typography>
        </Stack>
      </QueryBoundary>
    </SectionCard>
  );
}
