import Image from 'next/image';
import { isApiMedia, placeholderStyle } from './srcset';

export interface OptimizedImageProps {
  src: string;
  alt: string;
  width: number;
  height: number;
  /** The displayed width per breakpoint, e.g. `(max-width: 640px) 100vw, 320px`; defaults to `${width}px`. */
  sizes?: string;
  /** The page's largest image above the fold: fetched early, never lazy. */
  preload?: boolean;
  className?: string;
}

/**
 * `next/image` with the app's defaults: explicit dimensions (no layout shift), `sizes` for the srcset,
 * lazy loading below the fold, a blur placeholder, and API media served as stored (already sized, immutable).
 */
export function OptimizedImage({
  src,
  alt,
  width,
  height,
  sizes,
  preload = false,
  className,
}: OptimizedImageProps) {
  return (
    <Image
      src={src}
      alt={alt}
      width={width}
      height={height}
      sizes={sizes ?? `${width}px`}
      preload={preload}
      loading={preload ? 'eager' : 'lazy'}
      style={placeholderStyle(src)}
      unoptimized={isApiMedia(src)}
      className={className}
    />
  );
}
