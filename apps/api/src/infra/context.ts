import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { ResponseCache } from './cache/index';

/** What services need from the infrastructure: the database and the response cache (for invalidation). */
export interface ServiceContext {
  db: Kysely<Database>;
  cache: ResponseCache;
}
