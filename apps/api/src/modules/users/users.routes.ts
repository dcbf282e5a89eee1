import {
  AVATAR_MAX_BYTES,
  avatarContentTypes,
  idParamsSchema,
  publicUserSchema,
  updateProfileBodySchema,
  type AvatarContentType,
} from '@mentorhub/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answeredFromCache, replyCached } from '../../infra/http/cached-reply';
import { publicProfileRead } from './users.reads';
import { requirePrincipal } from '../../infra/auth/session';
import { AppError } from '../../infra/errors/app-error';
import { errorResponses } from '../../infra/http/error-responses';
import { removeAvatar, setAvatar, updateProfile } from './users.service';
import { sessionRequired } from '../../infra/auth/session-security';

/** The signed-in user, who must be the one the URL names (401 anonymous, 403 anyone else). */
async function requireSelf(request: FastifyRequest, userId: number, what: string): Promise<void> {
  const principal = await requirePrincipal(request);
  if (principal.userId !== userId) throw new AppError('FORBIDDEN', `You can only change your own ${what}`);
}

/** The media type of a request, without parameters, lower-cased ("image/png; x=y" → "image/png"). */
function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function isAvatarContentType(type: string): type is AvatarContentType {
  return (avatarContentTypes as readonly string[]).includes(type);
}

const imageBodySchema = z
  .custom<Buffer>((body) => Buffer.isBuffer(body), { error: 'must be the image bytes' })
  .meta({
    type: 'string',
    format: 'binary',
    description: `The image file itself, at most ${AVATAR_MAX_BYTES / 1024 / 1024} MiB`,
  });

const writeErrors = {
  ...errorResponses(400, 401, 403, 404),
};

/** The upload route in its own scope: image bodies are parsed as bytes here and nowhere else. */
const avatarUploadRoute: FastifyPluginAsyncZod = async (scope) => {
  scope.addContentTypeParser([...avatarContentTypes], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  scope.put(
    '/api/users/:id/avatar',
    {
      bodyLimit: AVATAR_MAX_BYTES,
      // Refused before the body is read: a wrong type never gets parsed, whatever its size.
      onRequest: async (request) => {
        if (!isAvatarContentType(mediaTypeOf(request)))
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Send the image bytes with Content-Type ${avatarContentTypes.join(', ')}`,
          );
      },
      schema: {
        tags: ['users'],
        operationId: 'uploadAvatar',
        security: sessionRequired,
        summary:
          'Upload your avatar: the request body is the image (PNG, JPEG, WebP or AVIF, at most 5 MiB); it is ' +
          'turned upright, cropped square, stripped of metadata and stored in 64–512 px WebP and AVIF renditions',
        consumes: [...avatarContentTypes],
        params: idParamsSchema,
        body: imageBodySchema,
        response: {
          200: publicUserSchema,
          ...writeErrors,
          ...errorResponses(413, 415, 422),
        },
      },
    },
    async (request) => {
      await requireSelf(request, request.params.id, 'avatar');
      const contentType = mediaTypeOf(request);
      if (!isAvatarContentType(contentType))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The image type is not accepted');
      return setAvatar({ db: scope.db, cache: scope.cache }, request.params.id, {
        bytes: request.body,
        contentType,
      });
    },
  );
};

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/users/:id',
    {
      ...answeredFromCache,
      schema: {
        tags: ['users'],
        operationId: 'getUser',
        summary: 'A user’s public profile',
        params: idParamsSchema,
        response: { 200: publicUserSchema, ...errorResponses(400, 404) },
      },
    },
    (request, reply) => replyCached(request, reply, publicProfileRead, request.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        operationId: 'updateUser',
        security: sessionRequired,
        summary: 'Change your own name, bio or timezone (every cached page that shows you is refreshed)',
        params: idParamsSchema,
        body: updateProfileBodySchema,
        response: { 200: publicUserSchema, ...writeErrors },
      },
    },
    async (request) => {
      await requireSelf(request, request.params.id, 'profile');
      return updateProfile(app.services, request.params.id, request.body);
    },
  );

  await app.register(avatarUploadRoute);

  app.delete(
    '/api/users/:id/avatar',
    {
      schema: {
        tags: ['users'],
        operationId: 'deleteAvatar',
        security: sessionRequired,
        summary: 'Remove your avatar',
        params: idParamsSchema,
        response: { 200: publicUserSchema, ...writeErrors },
      },
    },
    async (request) => {
      await requireSelf(request, request.params.id, 'avatar');
      return removeAvatar(app.services, request.params.id);
    },
  );
};
