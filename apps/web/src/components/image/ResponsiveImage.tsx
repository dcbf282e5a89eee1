import type { ResponsiveImage as ResponsiveImageDto } from '@mentorhub/contracts';
import Image from 'next/image';
import { Picture } from './Picture';
import { isApiMedia, placeholderStyle } from './srcset';

export interface ResponsiveImageProps {
  src: string;
  /** The API's renditions of `src` (AVIF and WebP at several widths): served as they are, no optimizer pass. */
  image?: ResponsiveImageDto | null;
  alt: string;
  /** Width ÷ height of the box, e.g. 16 / 9: the box is sized before the image loads. */
  aspectRatio: number;
  /** How wide the image is shown at each breakpoint; drives which srcset candidate the browser picks. */
  sizes: string;
  preload?: boolean;
  className?: string;
}

/** An image that fills its container's width at a fixed aspect ratio (covers, banners). */
export function ResponsiveImage({
  src,
  image,
  alt,
  aspectRatio,
  sizes,
  preload = false,
  className,
}: ResponsiveImageProps) {
  return (
    <div className={`responsive-image ${className ?? ''}`} style={{ aspectRatio }}>
      {image ? (
        <Picture
          image={image}
          alt={alt}
          width={image.width}
          height={image.height}
          sizes={sizes}
          preload={preload}
        />
      ) : (
        <Image
          src={src}
          alt={alt}
          fill
          sizes={sizes}
          preload={preload}
          loading={preload ? 'eager' : 'lazy'}
          style={placeholderStyle(src)}
          unoptimized={isApiMedia(src)}
        />
      )}
    </div>
  );
}
