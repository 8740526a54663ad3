/**
 * The sections far below the first screen, each loaded as a chunk of its own after the page's
 * first render (issue #18: the first render blocked the main thread for 0.9 s on desktop, 2.8 s
 * on a phone). The first screen renders without their code, and each arrives in a task of its own.
 * Until one arrives, a block of about its height keeps the sections below it in place.
 */
import Skeleton from "@mui/material/Skeleton";
import { lazy, memo, Suspense, type ComponentType } from "react";

const preloads: (() => Promise<void>)[] = [];

function belowTheFold<P extends object>(load: () => Promise<ComponentType<P>>, height: number) {
  let loaded: ComponentType<P> | null = null;
  const remember = () =>
    load().then((component) => {
      loaded = component;
      return component;
    });
  const Section = lazy(async () => ({ default: await remember() }));
  preloads.push(async () => {
    await remember();
  });
  function Deferred(props: P) {
    // Once loaded (a preload, an earlier render), rendered at once rather than after a suspended frame.
    const Loaded = loaded;
    if (Loaded) return <Loaded {...props} />;
    return (
      <Suspense fallback={<Skeleton variant="rounded" height={height} aria-hidden />}>
        <Section {...props} />
      </Suspense>
    );
  }
  return memo(Deferred);
}

/** Load every deferred section now, so that they render in the same pass as the rest (tests). */
export async function preloadBelowTheFold(): Promise<void> {
  await Promise.all(preloads.map((preload) => preload()));
}

export const UptimeCard = belowTheFold(() => import("../components/UptimeCard").then((module) => module.UptimeCard), 800);
export const NotificationsPanel = belowTheFold(() => import("./NotificationsPanel").then((module) => module.NotificationsPanel), 160);
export const ActivityChartCard = belowTheFold(
  () => import("../components/ActivityChartCard").then((module) => module.ActivityChartCard),
  380,
);
