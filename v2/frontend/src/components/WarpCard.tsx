import Alert from "@mui/material/Alert";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useTranslation } from "react-i18next";
import type { WarpStatus } from "../api/warp";
import { formatValue, humanize } from "../utils/format";
import { WARP_SECTION } from "../utils/problems";
import { DetailList } from "./DetailList";
import { OutsideText } from "./OutsideText";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { RelativeTime } from "./RelativeTime";
import { SectionCard } from "./SectionCard";
import { WarpChip } from "./statusChips";

export interface WarpCardProps {
  query: SectionQuery<WarpStatus>;
}

function WarpBody({ data }: { data: WarpStatus }) {
  const { t } = useTranslation();
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: "center", gap: 1.5, flexWrap: "wrap" }}>
        <Typography variant="body2" component="span">
          {t("status.warp.name")}
        </Typography>
        <WarpChip status={data.status} />
      </Stack>
      <DetailList
        items={[
          { label: t("status.warp.lastConnected"), value: <RelativeTime value={data.last_connected} past fallback={t("status.never")} /> },
          { label: t("status.checked"), value: <RelativeTime value={data.checked_at} past fallback={t("status.notCheckedYet")} /> },
          ...Object.entries(data.details).map(([key, value]) => ({ label: humanize(key), value: formatValue(value) })),
        ]}
      />
      {data.error && (
        <Alert severity="error">
          <OutsideText text={data.error} />
        </Alert>
      )}
      {data.checked_at === null && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("status.warp.notChecked")}
        </Typography>
      )}
      {data.status === "unavailable" && data.checked_at !== null && !data.error && (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {t("status.warp.unavailable")}
        </Typography>
      )}
    </Stack>
  );
}

export function WarpCard({ query }: WarpCardProps) {
  const { t } = useTranslation();
  return (
    <SectionCard id={WARP_SECTION} title={t("status.warp.title")} busy={query.isPending}>
      <QueryBoundary label={t("status.warp.label")} query={query} isEmpty={false} empty={null}>
        {query.data && <WarpBody data={query.data} />}
      </QueryBoundary>
    </SectionCard>
  );
}
