import { MinimalLoadingFallback } from '@/components/loading/MinimalLoadingFallback';

export default function Loading() {
  return <MinimalLoadingFallback label="Loading your settings…" />;
}
