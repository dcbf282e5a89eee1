/** The widths the app asks renditions in; the same ladder as `images.deviceSizes` + `imageSizes` in next.config. */
export const RENDITION_WIDTHS = [64, 128, 256, 360, 640, 828, 1080, 1200] as const;

/**
 * A `srcset` for an image the server can render at several widths (`?w=`), keeping only widths up to twice
 * the largest displayed size — anything bigger is bytes no screen shows.
 */
export function generateSrcSet(
  src: string,
  maxDisplayWidth: number,
  widths: readonly number[] = RENDITION_WIDTHS,
) {
  const useful = widths.filter((width) => width <= maxDisplayWidth * 2);
  const chosen = useful.length > 0 ? useful : [widths[0] ?? maxDisplayWidth];
  const separator = src.includes('?') ? '&' : '?';
  return chosen.map((width) => `${src}${separator}w=${width} ${width}w`).join(', ');
}

/**
 * A placeholder: soft, blended tones derived from a seed (the image URL or id), so every image box holds its size
 * and colour before the image arrives, without an extra request. A CSS gradient rather than a blurred image: an
 * SVG or bitmap data URL is one more image the browser must decode on the main thread, per image on the page.
 */
export function placeholderStyle(seed: string | number): { backgroundImage: string } {
  const text = String(seed);
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  const hue = hash % 360;
  return {
    backgroundImage: `linear-gradient(135deg, hsl(${hue} 45% 85%), hsl(${(hue + 40) % 360} 40% 70%))`,
  };
}

/** API-served media are stored at their final size and cached forever: the optimizer would only re-encode them. */
export function isApiMedia(src: string): boolean {
  return src.startsWith('/api/media/');
}
