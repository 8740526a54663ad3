import type { ActivityHistogram } from "../api/activity";
import { ActivityChart } from "./ActivityChart";
import { QueryBoundary, type SectionQuery } from "./QueryBoundary";
import { SectionCard } from "./SectionCard";

export interface ActivityChartCardProps {
  query: SectionQuery<ActivityHistogram>;
  days: number;
}

export function ActivityChartCard({ query, days }: ActivityChartCardProps) {
  const isEmpty = !query.data?.buckets.some((bucket) => Object.values(bucket.counts).some((n) => n > 0));
  return (
    <SectionCard id="activity-chart" title="Activity over time" busy={query.isPending}>
      <QueryBoundary
        label="the activity chart"
        query={query}
        isEmpty={isEmpty}
        empty="No activity in this period — bars per type appear here as scrapes, task runs and errors are recorded."
        skeletonRows={4}
      >
        {query.data && <ActivityChart histogram={query.data} days={days} />}
      </QueryBoundary>
    </SectionCard>
  );
}
