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
 * A blur placeholder: a tiny SVG of soft, blended tones derived from a seed (the image URL or id), so every image
 * box holds its size and colour before the image arrives, without an extra request. A gradient rather than a
 * Gaussian-blur filter: it looks as soft and costs the browser nothing to paint.
 */
export function blurDataUrl(seed: string | number): `data:image/${string}` {
  const text = String(seed);
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  const hue = hash % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" preserveAspectRatio="none"><linearGradient id="b" x2="1" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue},45%,85%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},40%,70%)"/></linearGradient>` +
    `<rect width="8" height="8" fill="url(#b)"/></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** API-served media are stored at their final size and cached forever: the optimizer would only re-encode them. */
export function isApiMedia(src: string): boolean {
  return src.startsWith('/api/media/');
}
