import { errorBodySchema, idParamsSchema } from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../infra/errors/app-error';

export const mediaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/media/:id',
    {
      schema: {
        tags: ['media'],
        summary: 'An uploaded or generated image (immutable: a new image gets a new id)',
        params: idParamsSchema,
        response: {
          200: z.any().describe('The image bytes'),
          304: z.null().describe('Not modified: the cached copy is current'),
          400: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      // A media id never changes its bytes, so the id is a strong validator and a revalidation costs no query.
      const etag = `"media-${request.params.id}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      const image = await app.db
        .selectFrom('media')
        .select(['content_type', 'data'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!image) throw notFound('Image');
      return reply
        .type(image.content_type)
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .send(image.data);
    },
  );
};
