'use client';

import { useEffect } from 'react';

/**
 * An image to warm: a URL, or a responsive image as `<picture>` shows it (its best source's srcset, the sizes it
 * is shown at, and that source's type). The browser then fetches exactly the rendition the page will ask for, and
 * nothing when it cannot show the type.
 */
export type PreloadImage = string | { src: string; srcSet: string; sizes: string; type?: string };

/**
 * Warms the browser cache with images the user is likely to see next (the next page's avatars) once the browser
 * is idle.
 */
export function useImagePreloader(images: readonly PreloadImage[]): void {
  const key = JSON.stringify(images);
  useEffect(() => {
    const list = JSON.parse(key) as PreloadImage[];
    const links: HTMLLinkElement[] = [];
    const start = () => {
      for (const image of list) {
        if (typeof image === 'string') {
          const element = new Image();
          element.decoding = 'async';
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
        document.head.append(link);
        links.push(link);
      }
    };
    const idle =
      typeof requestIdleCallback === 'function' ? requestIdleCallback(start) : window.setTimeout(start, 200);
    return () => {
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
      else window.clearTimeout(idle);
      for (const link of links) link.remove();
    };
  }, [key]);
}
