import { useTranslation } from "react-i18next";
import type { ActivityHistogram } from "../api/activity";
import { ActivityChart } from "./ActivityChart";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";

export interface ActivityChartCardProps {
  query: SectionQuery<ActivityHistogram>;
  days: number;
}

export function ActivityChartCard({ query, days }: ActivityChartCardProps) {
  const { t } = useTranslation();
  const isEmpty = !query.data?.buckets.some((bucket) => Object.values(bucket.counts).some((n) => n > 0));
  return (
    <SectionCard id="activity-chart" title={t("chart.title")} busy={query.isPending}>
      <QueryBoundary label={t("chart.sectionLabel")} query={query} isEmpty={isEmpty} empty={t("chart.empty")} skeletonRows={4}>
        {query.data && <ActivityChart histogram={query.data} days={days} />}
      </QueryBoundary>
    </SectionCard>
  );
}
