import type { ResponsiveImage as ResponsiveImageDto } from '@mentorhub/contracts';
import { placeholderStyle } from './srcset';

/**
 * An API image that comes with its own renditions (`sources`: AVIF and WebP srcsets, best first): rendered as
 * `<picture>` so the browser picks format and width itself, with explicit dimensions and a blur placeholder
 * behind it until it paints.
 */
export function Picture({
  image,
  alt,
  width,
  height,
  sizes,
  preload = false,
  className,
}: {
  image: ResponsiveImageDto;
  alt: string;
  width: number;
  height: number;
  sizes?: string;
  preload?: boolean;
  className?: string;
}) {
  return (
    <picture>
      {image.sources.map((source) => (
        <source key={source.type} type={source.type} srcSet={source.srcSet} sizes={sizes ?? `${width}px`} />
      ))}
      <img
        src={image.src}
        alt={alt}
        width={width}
        height={height}
        loading={preload ? 'eager' : 'lazy'}
        decoding="async"
        fetchPriority={preload ? 'high' : undefined}
        className={className}
        style={placeholderStyle(image.src)}
      />
    </picture>
  );
}
