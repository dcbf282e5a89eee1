'use client';

import { SkeletonFallback } from '@/components/loading/SkeletonFallback';
import { lazyImport } from '@/lib/lazy';

/** The editor's code loads only when a mentor opens the studio. */
export const LazyAvailabilityEditor = lazyImport(
  () => import('./AvailabilityEditor').then((module) => module.AvailabilityEditor),
  () => <SkeletonFallback kind="rows" count={3} label="Loading the availability editor…" />,
);
