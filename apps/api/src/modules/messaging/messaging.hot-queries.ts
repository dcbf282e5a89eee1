import type { Database } from '@mentorhub/db';
import type { HotQuery } from '../../infra/profiler/explain';
import { DIGEST_BATCH_ROWS } from './digest.service';
import { dueMembersQuery } from './digest.repository';

export const messagingHotQueries: HotQuery<Database>[] = [
  {
    // Every minute in every API process: it must walk only the members whose digest wait has begun.
    name: 'Unread-message digest job (every minute)',
    build: (db) => {
      const query = dueMembersQuery(new Date(), DIGEST_BATCH_ROWS);
      return { compile: () => query.compile(db) };
    },
  },
];
