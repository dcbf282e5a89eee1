import { avatarWidths, idParamsSchema, pathIdSchema } from '@mentorhub/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../infra/errors/app-error';
import { errorResponses } from '../../infra/http/error-responses';
import * as media from './media.repository';
import { variantFormats, type VariantFormat, type VariantWidth } from './media.urls';

const variantPattern = new RegExp(
  `^(${avatarWidths.join('|')})\\.(${Object.keys(variantFormats).join('|')})$`,
);

const variantParamsSchema = z.strictObject({
  id: pathIdSchema,
  variant: z
    .string()
    .regex(variantPattern, {
      error: `must be <width>.<format>, e.g. "256.webp" (widths ${avatarWidths.join(', ')})`,
    })
    .transform((variant) => {
      const [width, format] = variant.split('.');
      return { width: Number(width) as VariantWidth, format: format as VariantFormat };
    })
    .describe('Width and format, e.g. 256.webp or 512.avif'),
});

const imageResponses = {
  200: z.any().describe('The image bytes'),
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
  load: () => Promise<{ content_type: string; data: Buffer } | undefined>,
) {
  reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
  const image = await load();
  if (!image) throw notFound('Image');
  return reply
    .type(image.content_type)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('x-content-type-options', 'nosniff')
    .send(image.data);
}

export const mediaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/media/:id',
    {
      schema: {
        tags: ['media'],
        summary: 'An uploaded or generated image (immutable: a new image gets a new id)',
        params: idParamsSchema,
        response: imageResponses,
      },
    },
    (request, reply) =>
      sendImage(request, reply, `"media-${request.params.id}"`, () =>
        media.findById(app.db, request.params.id),
      ),
  );

  app.get(
    '/api/media/:id/:variant',
    {
      schema: {
        tags: ['media'],
        summary:
          'One rendition of an image (immutable): the stored one closest to the width without exceeding it, ' +
          'in the format asked for; a vector image is served as it is',
        params: variantParamsSchema,
        response: imageResponses,
      },
    },
    (request, reply) => {
      const { id, variant } = request.params;
      return sendImage(request, reply, `"media-${id}-${variant.width}.${variant.format}"`, () =>
        media.findVariant(app.db, id, variant.width, variantFormats[variant.format]),
      );
    },
  );
};
