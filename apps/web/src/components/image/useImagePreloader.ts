'use client';

import { useEffect, useState } from 'react';

/**
 * Warms the browser cache with images the user is likely to see next (the next gallery item, the next page's
 * covers) once the browser is idle; reports how many have loaded.
 */
export function useImagePreloader(urls: readonly string[]): { loaded: number; done: boolean } {
  const key = urls.join('\n');
  // Counts belong to one list of URLs: a new list starts from zero without a reset in the effect.
  const [progress, setProgress] = useState({ key, loaded: 0 });

  useEffect(() => {
    let cancelled = false;
    const list = key === '' ? [] : key.split('\n');
    const start = () => {
      for (const url of list) {
        const image = new Image();
        image.decoding = 'async';
        const count = () => {
          if (!cancelled)
            setProgress((p) => (p.key === key ? { key, loaded: p.loaded + 1 } : { key, loaded: 1 }));
        };
        image.onload = count;
        image.onerror = count;
        image.src = url;
      }
    };
    const idle =
      typeof requestIdleCallback === 'function' ? requestIdleCallback(start) : window.setTimeout(start, 200);
    return () => {
      cancelled = true;
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
      else window.clearTimeout(idle);
    };
  }, [key]);

  const total = key === '' ? 0 : key.split('\n').length;
  const loaded = progress.key === key ? progress.loaded : 0;
  return { loaded, done: loaded >= total };
}
