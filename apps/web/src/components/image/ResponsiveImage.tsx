import Image from 'next/image';
import { blurDataUrl, isApiMedia } from './srcset';

export interface ResponsiveImageProps {
  src: string;
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
  alt,
  aspectRatio,
  sizes,
  preload = false,
  className,
}: ResponsiveImageProps) {
  return (
    <div className={`responsive-image ${className ?? ''}`} style={{ aspectRatio }}>
      <Image
        src={src}
        alt={alt}
        fill
        sizes={sizes}
        preload={preload}
        loading={preload ? 'eager' : 'lazy'}
        placeholder={blurDataUrl(src)}
        unoptimized={isApiMedia(src)}
      />
    </div>
  );
}
