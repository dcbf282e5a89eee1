import type {
  ExpertiseList,
  MentorApplication,
  MentorApplicationBody,
  MentorListQuery,
  MentorProfileUpdateBody,
  MentorSummary,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { AppError, invalidField, notFound } from '../../infra/errors/app-error';
import { isUniqueViolation } from '../../infra/db/pg-errors';
import { serializedEmptyPage, serializedKeysetPage, type SerializedValue } from '../../infra/db/json';
import { cursorArguments } from '../../infra/db/keyset';
import { toPrefixTsQuery } from '../../infra/db/search';
import { toUserSummary } from '../users/users.service';
import { recommendationsTag } from '../recommendations/recommendations.cache';
import { userTag } from '../users/users.cache';
import { MENTOR_LISTS_TAG, mentorTag } from './mentors.cache';
import * as mentors from './mentors.repository';

/** The mentor card every list shows. */
export function toMentorSummary(row: mentors.MentorRow): MentorSummary {
  return {
    id: row.id,
    headline: row.headline,
    hourlyRate: { amountCents: row.hourly_rate_cents, currency: row.currency },
    languages: row.languages,
    timezone: row.timezone,
    yearsExperience: row.years_experience,
    rating: { average: Number(row.rating_avg), count: row.rating_count },
    expertise: row.expertise,
    user: toUserSummary({ id: row.user_id, name: row.user_name, avatar_media_id: row.user_avatar_media_id }),
    responsiveness: {
      rate: row.response_requests > 0 ? row.response_rate : null,
      medianMinutes: row.response_median_minutes,
    },
    pausedUntil: row.paused_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** A page of mentor cards (`Page<MentorSummary>`) as PostgreSQL serialized them, tagged with each card's mentor and user. */
export async function listMentors(db: Kysely<Database>, query: MentorListQuery): Promise<SerializedValue> {
  const tsQuery = query.q === undefined ? undefined : toPrefixTsQuery(query.q);
  if (tsQuery === null) return serializedEmptyPage(MENTOR_LISTS_TAG);
  const filter: mentors.MentorListFilter = {
    tsQuery,
    expertise: query.expertise,
    minPriceCents: query.minPriceCents,
    maxPriceCents: query.maxPriceCents,
    minRating: query.minRating,
    language: query.language,
    minResponseRate: query.minResponseRate,
  };
  return serializedKeysetPage(
    query,
    mentors.mentorSortOrders[query.sort],
    (after) =>
      Object.values(filter).every((value) => value === undefined)
        ? mentors.unfilteredPage.execute(db, {
            sort: query.sort,
            limit: query.limit,
            ...cursorArguments(after),
          })
        : mentors.pageQuery(db, filter, query.sort, after, query.limit).execute(),
    MENTOR_LISTS_TAG,
    (row) => [mentorTag(row.id), userTag(row.user_id)],
  );
}

/** A listed mentor's profile (`MentorDetail`) as PostgreSQL serialized it, tagged with the mentor and their user. */
export async function getMentor(db: Kysely<Database>, id: number): Promise<SerializedValue> {
  const [row] = await mentors.listedById.execute(db, { id });
  if (!row) throw notFound('Mentor');
  return { body: row.profile, tags: [mentorTag(row.id), userTag(row.user_id)] };
}

export async function listExpertise(db: Kysely<Database>): Promise<ExpertiseList> {
  const rows = await mentors.expertiseCountsQuery(db).execute();
  return { items: rows.map((row) => ({ slug: row.slug, name: row.name, mentorCount: row.mentor_count })) };
}

/** Ids of the named expertise tags; an unknown slug is a 400 on body.expertise. */
async function expertiseTagIds(ctx: ServiceContext, requested: string[]): Promise<number[]> {
  const slugs = [...new Set(requested)];
  const tags = await mentors.tagsBySlugs(ctx.db, slugs);
  const unknown = slugs.filter((slug) => !tags.some((tag) => tag.slug === slug));
  if (unknown.length > 0)
    throw invalidField('body.expertise', `has unknown expertise: ${unknown.join(', ')}`);
  return tags.map((tag) => tag.id);
}

function toApplication(row: {
  id: number;
  status: MentorApplication['status'];
  created_at: Date;
}): MentorApplication {
  return { id: row.id, status: row.status, createdAt: row.created_at.toISOString() };
}

/**
 * Files the signed-in user's application (pending, not listed until an admin approves it). One profile per user:
 * the unique index on mentors.user_id settles concurrent applications.
 */
export async function applyAsMentor(
  ctx: ServiceContext,
  userId: number,
  body: MentorApplicationBody,
): Promise<MentorApplication> {
  const tagIds = await expertiseTagIds(ctx, body.expertise);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await mentors.insertApplication(trx, userId, body);
      await mentors.insertExpertise(trx, row.id, tagIds);
      return toApplication(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'You already have a mentor profile');
    throw error;
  }
}

/** An admin's decision on a pending application; approval lists the mentor and makes the user a mentor. */
export async function decideApplication(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  id: number,
  decision: 'approved' | 'rejected',
): Promise<MentorApplication> {
  if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins review mentor applications');
  const decided = await ctx.db.transaction().execute(async (trx) => {
    const row = await mentors.decidePending(trx, id, decision);
    if (row && decision === 'approved') await mentors.promoteToMentor(trx, row.user_id);
    return row;
  });
  if (!decided) {
    if (!(await mentors.ownerOf(ctx.db, id))) throw notFound('Mentor application');
    throw new AppError('CONFLICT', 'This application has already been decided');
  }
  await ctx.cache.invalidateTags([MENTOR_LISTS_TAG, mentorTag(id), userTag(decided.user_id)]);
  return toApplication(decided);
}

/**
 * A mentor edits their own profile. Price, languages and expertise decide which lists show the mentor and in
 * what order, so every mentor list is invalidated along with the mentor's own page.
 */
export async function updateMentorProfile(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  id: number,
  patch: MentorProfileUpdateBody,
): Promise<MentorApplication> {
  const mentor = await mentors.ownerOf(ctx.db, id);
  if (!mentor) throw notFound('Mentor');
  if (mentor.user_id !== principal.userId)
    throw new AppError('FORBIDDEN', 'You can only change your own mentor profile');
  const { expertise, ...fields } = patch;
  const tagIds = expertise === undefined ? undefined : await expertiseTagIds(ctx, expertise);
  await ctx.db.transaction().execute(async (trx) => {
    if (Object.keys(fields).length > 0) await mentors.updateProfile(trx, id, fields);
    if (tagIds) {
      await mentors.removeExpertise(trx, id);
      await mentors.insertExpertise(trx, id, tagIds);
    }
  });
  // The mentor's own expertise is one of their interests, so their recommendations change with it.
  await ctx.cache.invalidateTags([MENTOR_LISTS_TAG, mentorTag(id), recommendationsTag(mentor.user_id)]);
  return toApplication(mentor);
}
