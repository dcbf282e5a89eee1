import { publicUserSchema, type PublicUser } from '@mentorhub/contracts';
import type { CachedRead } from '../../infra/http/cached-reply';
import { getSerializedProfile } from './users.service';

export const publicProfileRead: CachedRead<number, PublicUser> = {
  key: (id) => `users:${id}`,
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  schema: publicUserSchema,
  loadSerialized: getSerializedProfile,
};
