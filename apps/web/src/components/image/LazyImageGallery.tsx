'use client';

import { useState } from 'react';
import { OptimizedImage } from './OptimizedImage';
import { useImagePreloader } from './useImagePreloader';

export interface GalleryImage {
  src: string;
  alt: string;
  width: number;
  height: number;
}

/**
 * A strip of thumbnails (lazy, below the fold) and one large view; the large versions of the neighbours are
 * preloaded while idle so switching is instant. Arrow keys move between thumbnails.
 */
export function LazyImageGallery({ images, label }: { images: readonly GalleryImage[]; label: string }) {
  const [index, setIndex] = useState(0);
  const current = images[index];
  const neighbours = [images[index + 1], images[index - 1]].filter((image) => image !== undefined);
  useImagePreloader(neighbours.map((image) => image.src));
  if (!current) return null;

  return (
    <section className="gallery" aria-label={label}>
      <OptimizedImage
        src={current.src}
        alt={current.alt}
        width={current.width}
        height={current.height}
        sizes="(max-width: 800px) 100vw, 760px"
      />
      <ul className="gallery-thumbs">
        {images.map((image, i) => (
          <li key={image.src}>
            <button
              type="button"
              aria-label={`Show image ${i + 1} of ${images.length}: ${image.alt}`}
              aria-pressed={i === index}
              onClick={() => {
                setIndex(i);
              }}
              onKeyDown={(event) => {
                if (event.key === 'ArrowRight') setIndex((i + 1) % images.length);
                if (event.key === 'ArrowLeft') setIndex((i - 1 + images.length) % images.length);
              }}
            >
              <OptimizedImage
                src={image.src}
                alt=""
                width={96}
                height={Math.round((96 * image.height) / image.width)}
              />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
