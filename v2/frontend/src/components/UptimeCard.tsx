import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { EntityUptime, Uptime, UptimeWindow } from "../api/uptime";
import { useNow } from "../hooks/useNow";
import { formatAge, formatRatio, stateClass } from "../utils/uptime";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";
import { UptimeBar, UptimeLegend } from "./UptimeBar";

const WINDOW_LABELS: [UptimeWindow, string][] = [
  ["1d", "24 h"],
  ["7d", "7 d"],
  ["30d", "30 d"],
  ["90d", "90 d"],
];

const STATE_COLOUR = { up: "success.main", down: "error.main", paused: "text.secondary", unknown: "text.secondary" };

export interface UptimeCardProps {
  query: SectionQuery<Uptime>;
}

function EntityRow({ entity, hourly }: { entity: EntityUptime; hourly: boolean }) {
  const now = useNow();
  const age = formatAge(Math.max(0, (now - Date.parse(entity.since)) / 1000));
  const label = entity.kind === "task" ? `Task ${entity.name}` : entity.name;
  return (
    <Box component="li" sx={{ display: "grid", gap: 0.75 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "baseline", flexWrap: "wrap", columnGap: 1.5, rowGap: 0.5 }}>
        <Typography variant="body2" component="h3" sx={{ fontWeight: 600 }}>
          {label}
        </Typography>
        <Typography variant="body2" sx={{ color: STATE_COLOUR[stateClass(entity.state)] }}>
          {entity.state} for {age}
        </Typography>
        <Typography variant="caption" sx={{ color: "text.secondary", ml: { sm: "auto" } }}>
          {WINDOW_LABELS.map(([window, text]) => `${text} ${formatRatio(entity.windows[window] ?? null)}`).join(" · ")}
        </Typography>
      </Stack>
      <UptimeBar name={label} buckets={entity.days} hourly={hourly} />
    </Box>
  );
}

/** Per peer and task: its state and for how long, uptime over 24 h to 90 d, and a bar of days. */
export function UptimeCard({ query }: UptimeCardProps) {
  const hourly = query.data?.bucket_seconds === 3600;
  return (
    <SectionCard id="uptime" title="Uptime" busy={query.isPending}>
      <QueryBoundary
        label="uptime"
        query={query}
        isEmpty={query.data?.entities.length === 0}
        empty="No state changes yet — each peer and task appears here after the first status check."
      >
        <Stack sx={{ gap: 2 }}>
          <Stack component="ul" sx={{ gap: 2, m: 0, p: 0, listStyle: "none" }}>
            {query.data?.entities.map((entity) => (
              <EntityRow key={`${entity.kind}:${entity.name}`} entity={entity} hourly={hourly} />
            ))}
          </Stack>
          <UptimeLegend />
          <Typography variant="caption" sx={{ color: "text.secondary" }}>
            Uptime counts known time only: time the service was not running is unknown, and paused time counts
            neither way.
          </Typography>
        </Stack>
      </QueryBoundary>
    </SectionCard>
  );
}
