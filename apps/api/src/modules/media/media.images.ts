import { avatarWidths, type AvatarContentType } from '@mentorhub/contracts';
import sharp from 'sharp';
import { AppError } from '../../infra/errors/app-error';
import { variantFormats, type VariantFormat } from './media.urls';

/** Decoding more pixels than this is refused before any pixel is decoded (decompression bombs). */
export const MAX_INPUT_PIXELS = 40_000_000;

/** What libvips reports for each accepted upload type (AVIF is a HEIF container). */
const decodedFormat: Record<AvatarContentType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/avif': 'heif',
};

export interface Rendition {
  contentType: (typeof variantFormats)[VariantFormat];
  width: number;
  height: number;
  data: Buffer;
}

function invalidImage(message: string): AppError {
  return new AppError('INVALID_IMAGE', message);
}

const decodeOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' } as const;

/**
 * Decodes an upload into an upright, metadata-free square (centre crop) of at most the largest avatar width.
 * Anything that is not a readable image of the declared type is an INVALID_IMAGE, never a 500.
 */
async function decodeSquare(bytes: Buffer, contentType: AvatarContentType) {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, decodeOptions).metadata();
  } catch {
    throw invalidImage('The file is not a readable image');
  }
  const { format, width, height } = metadata;
  if (format !== decodedFormat[contentType] || (format === 'heif' && metadata.compression !== 'av1'))
    throw invalidImage(`The file is not a ${contentType.slice('image/'.length).toUpperCase()} image`);
  if (!width || !height) throw invalidImage('The image has no size');
  if (width * height > MAX_INPUT_PIXELS)
    throw invalidImage(`The image has more than ${MAX_INPUT_PIXELS / 1_000_000} million pixels`);
  const side = Math.min(width, height, Math.max(...avatarWidths));
  try {
    return await sharp(bytes, decodeOptions)
      .timeout({ seconds: 20 })
      .autoOrient()
      .resize(side, side, { fit: 'cover', position: 'centre' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw invalidImage('The image is damaged or truncated');
  }
}

/**
 * Every avatar rendition of an upload: each avatar width up to the image's own size (never upscaled; a smaller
 * image adds one rendition at its own size), in every variant format. Largest WebP first.
 */
export async function avatarRenditions(bytes: Buffer, contentType: AvatarContentType): Promise<Rendition[]> {
  const { data, info } = await decodeSquare(bytes, contentType);
  const side = info.width;
  const widths = [...new Set(avatarWidths.map((width) => Math.min(width, side)))].sort((a, b) => b - a);
  const raw = { raw: { width: side, height: side, channels: info.channels } } as const;
  const jobs = widths.flatMap((width) =>
    (['webp', 'avif'] as const).map(async (format): Promise<Rendition> => {
      const resized = sharp(data, raw).resize(width, width);
      const encoded =
        format === 'webp'
          ? resized.webp({ quality: 82, alphaQuality: 90, effort: 4 })
          : resized.avif({ quality: 55, effort: 3 });
      return { contentType: variantFormats[format], width, height: width, data: await encoded.toBuffer() };
    }),
  );
  return Promise.all(jobs);
}

/** Renders a stored vector image (the seed's avatars and covers) at `width` pixels in a raster format. */
export async function rasterizeVector(svg: Buffer, width: number, format: VariantFormat): Promise<Buffer> {
  const { width: intrinsicWidth } = await sharp(svg).metadata();
  // Rasterise at the target size rather than scaling a bitmap: text and edges stay sharp at every width.
  const density = Math.min(72 * (width / intrinsicWidth), 2400);
  const rendered = sharp(svg, { density }).resize({ width });
  return format === 'webp'
    ? rendered.webp({ quality: 82, effort: 4 }).toBuffer()
    : rendered.avif({ quality: 55, effort: 3 }).toBuffer();
}
