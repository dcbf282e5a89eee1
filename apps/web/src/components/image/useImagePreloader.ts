'use client';

import { useEffect, useState } from 'react';

/**
 * An image to warm: a URL, or a responsive image as `<picture>` shows it (its best source's srcset, the sizes it
 * is shown at, and that source's type). The browser then fetches exactly the rendition the page will ask for, and
 * nothing when it cannot show the type.
 */
export type PreloadImage = string | { src: string; srcSet: string; sizes: string; type?: string };

/**
 * Warms the browser cache with images the user is likely to see next (the next gallery item, the next page's
 * avatars) once the browser is idle; reports how many have loaded.
 */
export function useImagePreloader(images: readonly PreloadImage[]): { loaded: number; done: boolean } {
  const key = JSON.stringify(images);
  // Counts belong to one list of images: a new list starts from zero without a reset in the effect.
  const [progress, setProgress] = useState({ key, loaded: 0 });

  useEffect(() => {
    let cancelled = false;
    const list = JSON.parse(key) as PreloadImage[];
    const links: HTMLLinkElement[] = [];
    const start = () => {
      for (const image of list) {
        const count = () => {
          if (!cancelled)
            setProgress((p) => (p.key === key ? { key, loaded: p.loaded + 1 } : { key, loaded: 1 }));
        };
        if (typeof image === 'string') {
          const element = new Image();
          element.decoding = 'async';
          element.onload = count;
          element.onerror = count;
          element.src = image;
          continue;
        }
        // A preload link, unlike an Image, chooses from a srcset by type as <picture> does.
        const link = document.createElement('link');
        link.rel = 'preload';
        link.as = 'image';
        link.imageSrcset = image.srcSet;
        link.imageSizes = image.sizes;
        if (image.type) link.type = image.type;
        link.href = image.src;
        link.onload = count;
        link.onerror = count;
        document.head.append(link);
        links.push(link);
      }
    };
    const idle =
      typeof requestIdleCallback === 'function' ? requestIdleCallback(start) : window.setTimeout(start, 200);
    return () => {
      cancelled = true;
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
      else window.clearTimeout(idle);
      for (const link of links) link.remove();
    };
  }, [key]);

  const loaded = progress.key === key ? progress.loaded : 0;
  return { loaded, done: loaded >= images.length };
}
