import type { MentorApplicationBody, MentorProfileUpdateBody, MentorSort } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { notSuspended } from '../../infra/auth/suspension';
import { compiledOnce } from '../../infra/db/compiled-once';
import { isoInstant, jsonObject, jsonText, type JsonFields } from '../../infra/db/json';
import { cursorKeyOf, keysetPageQuery, type CursorArguments } from '../../infra/db/keyset';
import type { CursorKey, SortOrder } from '../../infra/pagination/cursor';
import { userSummaryJson } from '../users/users.repository';

export interface MentorListFilter {
  tsQuery?: string | undefined;
  expertise?: string[] | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
  minRating?: number | undefined;
  language?: string | undefined;
  minResponseRate?: number | undefined;
}

/** Listed mentors (approved, not hidden, owner not suspended) joined with their user, as `m` and `u`. */
function listedMentors(db: Kysely<Database>) {
  return (
    db
      .selectFrom('mentors as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      // Literals, not parameters: a prepared statement's generic plan can then use the partial indexes.
      .where('m.status', '=', sql.lit('approved'))
      .where('m.is_active', '=', sql.lit(true))
      .where(notSuspended('u.suspended_until'))
  );
}

/** Listed mentors with the card's columns, for answers built in Node. */
export function selectMentorsWithUser(db: Kysely<Database>) {
  return listedMentors(db).select([
    'm.id',
    'm.headline',
    'm.hourly_rate_cents',
    'm.currency',
    'm.languages',
    'm.timezone',
    'm.years_experience',
    'm.rating_avg',
    'm.rating_count',
    'm.response_rate',
    'm.response_requests',
    'm.response_median_minutes',
    'm.created_at',
    'u.id as user_id',
    'u.name as user_name',
    'u.avatar_media_id as user_avatar_media_id',
    'u.paused_until',
    'm.expertise',
  ]);
}

export type MentorRow = Awaited<ReturnType<ReturnType<typeof selectMentorsWithUser>['execute']>>[number];

const ratingFields: JsonFields = { average: sql`m.rating_avg::float8`, count: 'm.rating_count' };

/** The fields of `MentorSummary` in its order, the rating built of `rating`. */
const mentorCardFields = (rating: RawBuilder<unknown>): JsonFields => ({
  id: 'm.id',
  headline: 'm.headline',
  hourlyRate: jsonObject({ amountCents: 'm.hourly_rate_cents', currency: 'm.currency' }),
  languages: 'm.languages',
  timezone: 'm.timezone',
  yearsExperience: 'm.years_experience',
  rating,
  // json as its triggers print it, compact: [{slug, name}].
  expertise: 'm.expertise',
  user: userSummaryJson('u'),
  responsiveness: jsonObject({
    rate: sql`CASE WHEN m.response_requests > 0 THEN m.response_rate END`,
    medianMinutes: 'm.response_median_minutes',
  }),
  pausedUntil: isoInstant('u.paused_until'),
  createdAt: isoInstant('m.created_at'),
});

/** A list row: the card serialized by PostgreSQL, with what its cursor and cache tags need. */
function selectMentorCards(db: Kysely<Database>) {
  return listedMentors(db).select([
    'm.id',
    'u.id as user_id',
    'm.rating_avg',
    'm.hourly_rate_cents',
    'm.response_rate',
    'm.created_at',
    jsonText(mentorCardFields(jsonObject(ratingFields))).as('card'),
  ]);
}

export type MentorCardRow = Awaited<ReturnType<ReturnType<typeof selectMentorCards>['execute']>>[number];

/** Each public sort of the mentor list; the id breaks ties, so the order is total. */
export const mentorSortOrders = {
  rating: {
    column: 'm.rating_avg',
    direction: 'desc',
    // The numeric as PostgreSQL writes it, so the cursor compares exactly in SQL.
    kind: 'decimal',
    keyOf: (row) => [row.rating_avg, row.id],
  },
  price: {
    column: 'm.hourly_rate_cents',
    direction: 'asc',
    kind: 'integer',
    keyOf: (row) => [row.hourly_rate_cents, row.id],
  },
  price_desc: {
    column: 'm.hourly_rate_cents',
    direction: 'desc',
    kind: 'integer',
    keyOf: (row) => [row.hourly_rate_cents, row.id],
  },
  newest: {
    column: 'm.created_at',
    direction: 'desc',
    kind: 'instant',
    keyOf: (row) => [row.created_at.toISOString(), row.id],
  },
  responsive: {
    column: 'm.response_rate',
    direction: 'desc',
    kind: 'integer',
    keyOf: (row) => [row.response_rate, row.id],
  },
} as const satisfies Record<MentorSort, SortOrder<MentorCardRow>>;

/**
 * One page of listed mentor cards, each with its user and expertise: a single statement whatever the limit. A
 * mentor hidden for leaving requests unanswered stays out until they come back.
 */
export function pageQuery(
  db: Kysely<Database>,
  filter: MentorListFilter,
  sort: MentorSort,
  after: CursorKey | undefined,
  limit: number,
) {
  let query = selectMentorCards(db).where('m.inactive_since', 'is', null);
  if (filter.tsQuery)
    query = query.where(sql<boolean>`m.search_vector @@ to_tsquery('simple', ${filter.tsQuery})`);
  for (const slug of filter.expertise ?? []) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('mentor_expertise as fe')
          .innerJoin('expertise_tags as ft', 'ft.id', 'fe.tag_id')
          .select(sql`1`.as('one'))
          .whereRef('fe.mentor_id', '=', 'm.id')
          .where('ft.slug', '=', slug),
      ),
    );
  }
  if (filter.minPriceCents !== undefined)
    query = query.where('m.hourly_rate_cents', '>=', filter.minPriceCents);
  if (filter.maxPriceCents !== undefined)
    query = query.where('m.hourly_rate_cents', '<=', filter.maxPriceCents);
  if (filter.minRating !== undefined) query = query.where('m.rating_avg', '>=', filter.minRating.toFixed(2));
  if (filter.language) query = query.where(sql<boolean>`m.languages @> ARRAY[${filter.language}]::text[]`);
  // A mentor without requests yet has no rate to meet.
  if (filter.minResponseRate !== undefined)
    query = query
      .where('m.response_rate', '>=', filter.minResponseRate)
      .where('m.response_requests', '>', sql.lit(0));
  return keysetPageQuery(query, mentorSortOrders[sort], 'm.id', after, limit);
}

/**
 * `pageQuery` without filters, built once per sort, page size and first or later page: the mentor list as most
 * readers ask for it. The cursor's key reaches the statement as parameters.
 */
export const unfilteredPage = compiledOnce(
  ['afterValue', 'afterId'],
  (db, input: { sort: MentorSort; limit: number } & CursorArguments) =>
    pageQuery(db, {}, input.sort, cursorKeyOf(input), input.limit),
);

/** The rating of `MentorDetail`: with the mentor's published reviews counted per star, "1" to "5". */
const ratingWithDistribution = jsonObject({
  ...ratingFields,
  distribution: jsonObject(
    {
      1: sql`count(*) FILTER (WHERE r.rating = 1)`,
      2: sql`count(*) FILTER (WHERE r.rating = 2)`,
      3: sql`count(*) FILTER (WHERE r.rating = 3)`,
      4: sql`count(*) FILTER (WHERE r.rating = 4)`,
      5: sql`count(*) FILTER (WHERE r.rating = 5)`,
    },
    sql`reviews r WHERE r.mentor_id = m.id AND r.status = 'published'`,
  ),
});

/** A listed mentor's profile (`MentorDetail`) serialized by PostgreSQL, its published reviews counted per rating, in one statement. */
export function listedByIdQuery(db: Kysely<Database>, id: number) {
  return listedMentors(db)
    .select([
      'm.id',
      'u.id as user_id',
      jsonText({
        ...mentorCardFields(ratingWithDistribution),
        bio: 'm.bio',
        sessionMinutes: 'm.session_minutes',
        sessionsCompleted: 'm.sessions_completed',
      }).as('profile'),
    ])
    .where('m.id', '=', id);
}

/**
 * Every tag with its number of listed mentors, most common first, in one grouped statement. Counted when loaded
 * (no per-tag counter is kept): it reads every mentor_expertise row, but the answer is cached and only changes
 * with the mentor lists.
 */
export function expertiseCountsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('expertise_tags as t')
    .leftJoin('mentor_expertise as me', 'me.tag_id', 't.id')
    .leftJoin('mentors as m', (join) =>
      join
        .onRef('m.id', '=', 'me.mentor_id')
        .on('m.status', '=', sql.lit('approved'))
        .on('m.is_active', '=', sql.lit(true)),
    )
    .select(['t.slug', 't.name', sql<number>`count(m.id)::int`.as('mentor_count')])
    .groupBy('t.id')
    .orderBy('mentor_count', 'desc')
    .orderBy('t.name')
    .orderBy('t.slug');
}

export function tagsBySlugs(db: Kysely<Database>, slugs: string[]) {
  return db.selectFrom('expertise_tags').select(['id', 'slug']).where('slug', 'in', slugs).execute();
}

/** The mentors column of each profile field of the API. */
const profileColumnOf = {
  headline: 'headline',
  bio: 'bio',
  hourlyRateCents: 'hourly_rate_cents',
  currency: 'currency',
  languages: 'languages',
  timezone: 'timezone',
  sessionMinutes: 'session_minutes',
  meetingUrl: 'meeting_url',
} as const satisfies Record<keyof Omit<MentorProfileUpdateBody, 'expertise'>, keyof Database['mentors']>;

type ProfileField = keyof typeof profileColumnOf;
type ProfileColumns<T> = {
  [F in keyof T & ProfileField as (typeof profileColumnOf)[F]]: T[F];
};

/** Profile fields as mentors columns; a field left out (undefined) stays out, so a patch touches only its own. */
function profileColumns<T extends Partial<Record<ProfileField, unknown>>>(fields: T): ProfileColumns<T> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([field, value]) => value !== undefined && field in profileColumnOf)
      .map(([field, value]) => [profileColumnOf[field as ProfileField], value]),
  ) as ProfileColumns<T>;
}

export function insertApplication(
  db: Kysely<Database>,
  userId: number,
  application: Omit<MentorApplicationBody, 'expertise'>,
) {
  return db
    .insertInto('mentors')
    .values({ user_id: userId, ...profileColumns(application), status: 'pending' })
    .returning(['id', 'status', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function insertExpertise(db: Kysely<Database>, mentorId: number, tagIds: number[]) {
  return db
    .insertInto('mentor_expertise')
    .values(tagIds.map((tagId) => ({ mentor_id: mentorId, tag_id: tagId })))
    .execute();
}

/** Moves a pending application to its decision; no row back means it was not pending (or does not exist). */
export function decidePending(db: Kysely<Database>, id: number, status: 'approved' | 'rejected') {
  return db
    .updateTable('mentors')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['id', 'user_id', 'status', 'created_at'])
    .executeTakeFirst();
}

export function promoteToMentor(db: Kysely<Database>, userId: number) {
  return db
    .updateTable('users')
    .set({ role: 'mentor', updated_at: new Date() })
    .where('id', '=', userId)
    .where('role', '=', 'mentee')
    .execute();
}

export function ownerOf(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('mentors')
    .select(['id', 'user_id', 'status', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function updateProfile(
  db: Kysely<Database>,
  id: number,
  patch: Omit<MentorProfileUpdateBody, 'expertise'>,
) {
  return db
    .updateTable('mentors')
    .set({ ...profileColumns(patch), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export function removeExpertise(db: Kysely<Database>, mentorId: number) {
  return db.deleteFrom('mentor_expertise').where('mentor_id', '=', mentorId).execute();
}

/** `listedByIdQuery` built once: the mentor page's cache miss sends its text with the id. */
export const listedById = compiledOnce(['id'], (db, { id }: { id: number }) => listedByIdQuery(db, id));
