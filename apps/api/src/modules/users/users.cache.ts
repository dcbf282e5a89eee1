import type { PublicUser } from '@mentorhub/contracts';
import type { CachedResponseSpec } from '../../infra/http/cached-reply';

/** Every cached response that shows this person (name, avatar) carries this tag. */
export const userTag = (userId: number): string => `user:${userId}`;

export const usersCache = {
  profile: (id: number): CachedResponseSpec<PublicUser> => ({
    key: `users:${id}`,
    policy: { ttlSeconds: 300, staleSeconds: 60 },
    tags: (user) => [userTag(user.id)],
  }),
};
