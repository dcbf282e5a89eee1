import { SkeletonFallback } from '@/components/loading/SkeletonFallback';

export default function Loading() {
  return <SkeletonFallback kind="rows" count={4} label="Loading your studio…" />;
}
