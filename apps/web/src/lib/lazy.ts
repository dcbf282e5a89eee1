import dynamic from 'next/dynamic';
import type { ComponentType, ReactNode } from 'react';

/**
 * Code-splits a heavy client-only component out of the page's first-load JS: the chunk loads after hydration,
 * and `fallback` holds its place meanwhile (no layout shift when it reserves the same size).
 */
export function lazyImport<Props extends object>(
  load: () => Promise<ComponentType<Props>>,
  fallback: () => ReactNode,
): ComponentType<Props> {
  return dynamic(load, { ssr: false, loading: fallback });
}
