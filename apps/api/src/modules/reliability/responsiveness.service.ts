import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { ResponseCache } from '../../infra/cache/index';
import type { Config } from '../../config/config';
import { MENTOR_LISTS_TAG, mentorTag } from '../mentors/mentors.cache';
import { refreshResponsiveness } from './responsiveness.repository';

/** Responsiveness is measured over this many days of requests. */
export const RESPONSIVENESS_DAYS = 90;
const DAY_MS = 24 * 3_600_000;

export interface ResponsivenessPolicy {
  /** A mentor who left requests unanswered this long is hidden from the directory (0: never). */
  inactiveDays: number;
  /** BOOKING_REQUEST_TTL_MINUTES: when an unanswered request expires. */
  requestTtlMinutes: number;
}

export function responsivenessPolicyOf(config: Config): ResponsivenessPolicy {
  return {
    inactiveDays: config.MENTOR_INACTIVE_DAYS,
    requestTtlMinutes: config.BOOKING_REQUEST_TTL_MINUTES,
  };
}

/**
 * Recomputes the mentors' responsiveness as of `now` (every approved mentor when `mentorIds` is left out) and
 * answers the cache tags the change touches: a mentor's own tag drops their page and the list pages that show
 * them; a mentor hidden or shown again changes which mentors the lists hold, so every list page goes.
 */
export async function refreshMentors(
  db: Kysely<Database> | Transaction<Database>,
  policy: ResponsivenessPolicy,
  now: number,
  mentorIds?: readonly number[],
): Promise<string[]> {
  if (mentorIds?.length === 0) return [];
  const { rows } = await refreshResponsiveness(
    db,
    {
      since: new Date(now - RESPONSIVENESS_DAYS * DAY_MS),
      inactiveBefore: policy.inactiveDays === 0 ? null : new Date(now - policy.inactiveDays * DAY_MS),
      now: new Date(now),
      staleBefore: new Date(now - policy.requestTtlMinutes * 60_000),
    },
    mentorIds,
  );
  return [
    ...(rows.some((row) => row.visibility_changed) ? [MENTOR_LISTS_TAG] : []),
    ...rows.map((row) => mentorTag(row.id)),
  ];
}

/**
 * The periodic refresh: requests leave the 90-day window and unanswered requests age towards the inactivity limit
 * with time alone, so every mentor is recomputed now and then, not only when they answer.
 */
export async function refreshAllMentors(
  db: Kysely<Database>,
  cache: ResponseCache,
  policy: ResponsivenessPolicy,
  now: number,
  log: FastifyBaseLogger,
): Promise<void> {
  const tags = await refreshMentors(db, policy, now);
  if (tags.length === 0) return;
  await cache.invalidateTags(tags);
  log.info(
    { mentors: tags.filter((tag) => tag !== MENTOR_LISTS_TAG).length },
    'Refreshed mentor responsiveness',
  );
}
