'use client';

import type { MentorSummary, Page } from '@mentorhub/contracts';
import { useEffect, useRef, useState } from 'react';
import { isApiMedia } from '@/components/image/srcset';
import { useImagePreloader, type PreloadImage } from '@/components/image/useImagePreloader';
import { AVATAR_SIZE } from './avatar-size';

/** The avatars of a page of mentors as their cards will ask for them. */
function avatarsOf(page: Page<MentorSummary>): PreloadImage[] {
  return page.items.flatMap(({ user }): PreloadImage[] => {
    const [best] = user.avatar?.sources ?? [];
    if (user.avatar && best)
      return [{ src: user.avatar.src, srcSet: best.srcSet, sizes: `${AVATAR_SIZE}px`, type: best.type }];
    return user.avatarUrl && isApiMedia(user.avatarUrl) ? [user.avatarUrl] : [];
  });
}

/**
 * Sits in the directory's pager: once the pager comes near the screen, reads the next page of mentors from the
 * API and warms its avatars, so the next page's cards show their pictures at once. Nothing before that, so a
 * visitor who never scrolls down costs nothing.
 */
export function PreloadNextAvatars({ apiHref }: { apiHref: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [avatars, setAvatars] = useState<PreloadImage[]>([]);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const controller = new AbortController();
    const observer = new IntersectionObserver(
      ([entry]) => {
        if (!entry?.isIntersecting) return;
        observer.disconnect();
        fetch(apiHref, { signal: controller.signal, headers: { accept: 'application/json' } })
          .then((response) => (response.ok ? (response.json() as Promise<Page<MentorSummary>>) : null))
          .then((page) => {
            if (page) setAvatars(avatarsOf(page));
          })
          // Warming is a bonus: a failed read leaves the next page to load as it would anyway.
          .catch(() => undefined);
      },
      { rootMargin: '200px' },
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      controller.abort();
    };
  }, [apiHref]);
  useImagePreloader(avatars);
  return <span ref={ref} aria-hidden="true" />;
}
