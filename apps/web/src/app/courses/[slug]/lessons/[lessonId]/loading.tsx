import { LoadingFallback } from '@/components/loading/LoadingFallback';

export default function Loading() {
  return <LoadingFallback label="Loading the lesson…" />;
}
