import { SkeletonFallback } from '@/components/loading/SkeletonFallback';

// Painted with the page's first bytes, before the mentor and the visitor are known: the document waits for no API.
export default function Loading() {
  return <SkeletonFallback kind="profile" label="Loading the mentor’s profile…" />;
}
