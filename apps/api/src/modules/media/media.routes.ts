import { idParamsSchema, idParamSchema, renditionWidths } from '@mentorhub/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../infra/errors/app-error';
import { errorResponses } from '../../infra/http/error-responses';
import { rasterizeVector } from './media.images';
import * as media from './media.repository';
import { variantFormats, type VariantFormat, type VariantWidth } from './media.urls';

const variantPattern = new RegExp(
  `^(${renditionWidths.join('|')})\\.(${Object.keys(variantFormats).join('|')})$`,
);

const variantParamsSchema = z.strictObject({
  id: idParamSchema,
  variant: z
    .string()
    .regex(variantPattern, {
      error: `must be <width>.<format>, e.g. "256.webp" (widths ${renditionWidths.join(', ')})`,
    })
    .transform((variant) => {
      const [width, format] = variant.split('.');
      return { width: Number(width) as VariantWidth, format: format as VariantFormat };
    })
    .describe('Width and format, e.g. 256.webp or 512.avif'),
});

const VECTOR_TYPE = 'image/svg+xml';

/** Rasterised vector renditions kept in memory: rendering one costs 5–150 ms, serving it from here nothing. */
const RASTERIZED_CACHE_BYTES = 32 * 1024 * 1024;

const imageResponses = {
  200: z.any().meta({ type: 'string', format: 'binary', description: 'The image bytes' }),
  304: z.null().describe('Not modified: the cached copy is current'),
  ...errorResponses(400, 404),
};

/**
 * Serves stored image bytes. Stored images never change (a new image gets a new id), so the URL is a strong
 * validator: a revalidation costs no query and the response may be cached forever.
 */
async function sendImage(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  load: () => Promise<StoredImage | undefined>,
) {
  reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
  const image = await load();
  if (!image) throw notFound('Image');
  return reply.type(image.content_type).send(image.data); // security headers: infra/http/security-headers.ts
}

interface StoredImage {
  content_type: string;
  data: Buffer;
}

interface VectorRendition {
  svg: Buffer;
  width: VariantWidth;
  format: VariantFormat;
}

export const mediaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/media/:id',
    {
      schema: {
        tags: ['media'],
        operationId: 'getMedia',
        summary: 'An uploaded or generated image (immutable: a new image gets a new id)',
        params: idParamsSchema,
        produces: [variantFormats.webp, VECTOR_TYPE],
        response: imageResponses,
      },
    },
    (request, reply) =>
      sendImage(request, reply, `"media-${request.params.id}"`, () =>
        media.findById(app.db, request.params.id),
      ),
  );

  // A vector image asked for in a raster format is rendered once per size and format and kept (only the seed's
  // generated pictures are vectors: uploads are always stored as raster renditions). Concurrent first requests
  // for one rendition share a single render: LRUCache.fetch coalesces them.
  const rasterized = new LRUCache<string, StoredImage, VectorRendition>({
    maxSize: RASTERIZED_CACHE_BYTES,
    sizeCalculation: (image) => image.data.byteLength,
    fetchMethod: async (_key, _stale, { context }) => ({
      content_type: variantFormats[context.format],
      data: await rasterizeVector(context.svg, context.width, context.format),
    }),
  });

  async function loadVariant(id: number, width: VariantWidth, format: VariantFormat) {
    const key = `${id}/${width}.${format}`;
    const kept = rasterized.get(key);
    if (kept) return kept;
    const stored = await media.findVariant(app.db, id, width, variantFormats[format]);
    if (stored?.content_type !== VECTOR_TYPE) return stored;
    return rasterized.fetch(key, { context: { svg: stored.data, width, format } });
  }

  app.get(
    '/api/media/:id/:variant',
    {
      schema: {
        tags: ['media'],
        operationId: 'getMediaVariant',
        summary:
          'One rendition of an image (immutable): the stored one closest to the width without exceeding it, ' +
          'in the format asked for; a vector image is rendered at that width',
        params: variantParamsSchema,
        produces: Object.values(variantFormats),
        response: imageResponses,
      },
    },
    (request, reply) => {
      const { id, variant } = request.params;
      return sendImage(request, reply, `"media-${id}-${variant.width}.${variant.format}"`, () =>
        loadVariant(id, variant.width, variant.format),
      );
    },
  );
};
