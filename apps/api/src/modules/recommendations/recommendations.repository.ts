import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import { selectPublishedWithInstructor } from '../courses/courses.repository';
import { selectMentorsWithUser } from '../mentors/mentors.repository';

/** Where an interest tag comes from; the lower rank wins when a tag comes from several. */
export const interestRanks = { booked: 1, enrolled: 2, teaches: 3 } as const;
export type InterestRank = (typeof interestRanks)[keyof typeof interestRanks];

/** An interest tag a recommended item shares with the user, and where the user's interest in it comes from. */
export interface SharedTag {
  name: string;
  rank: InterestRank;
}

/**
 * The user's interest tags as CTEs: the expertise of the mentors they booked, of the instructors whose courses
 * they enrolled in, and their own (as a mentor). Read through bookings_mentee_id_idx, enrollments_user_id_idx and
 * the primary key of mentor_expertise, so its cost follows the user's history, not the table sizes.
 */
function withInterests(db: Kysely<Database>, userId: number) {
  return db
    .with('sources', (qb) =>
      qb
        .selectFrom('bookings')
        .select(['mentor_id', sql<number>`${sql.lit(interestRanks.booked)}`.as('rank')])
        .where('mentee_id', '=', userId)
        .union(
          qb
            .selectFrom('enrollments as e')
            .innerJoin('courses as ec', 'ec.id', 'e.course_id')
            .innerJoin('mentors as em', 'em.user_id', 'ec.instructor_id')
            .select(['em.id as mentor_id', sql<number>`${sql.lit(interestRanks.enrolled)}`.as('rank')])
            .where('e.user_id', '=', userId),
        )
        .union(
          qb
            .selectFrom('mentors as om')
            .select(['om.id as mentor_id', sql<number>`${sql.lit(interestRanks.teaches)}`.as('rank')])
            .where('om.user_id', '=', userId),
        ),
    )
    .with('interests', (qb) =>
      qb
        .selectFrom('sources as s')
        .innerJoin('mentor_expertise as se', 'se.mentor_id', 's.mentor_id')
        .innerJoin('expertise_tags as st', 'st.id', 'se.tag_id')
        .select(['se.tag_id', 'st.name', sql<InterestRank>`min(s.rank)`.as('rank')])
        .groupBy(['se.tag_id', 'st.name']),
    );
}

/** A one-time check: without interests (a cold start) the matching walk is skipped instead of finding nothing. */
const hasInterests = sql<boolean>`EXISTS (SELECT 1 FROM interests)`;

const sharedTags = sql<
  SharedTag[] | null
>`jsonb_agg(jsonb_build_object('name', i.name, 'rank', i.rank) ORDER BY i.rank, i.name)`;

/**
 * Mentor candidates, at most `limit` of each kind: the best rated listed mentors sharing an interest tag, then
 * the best rated overall (the cold start, and the filler when few match), each with the interest tags it shares.
 * Never the user, nor a mentor they already booked. The candidates CTE is inlined into both (not materialized),
 * so each is a walk of mentors_rating_idx that stops at `limit`.
 */
function mentorPicks(db: Kysely<Database>, userId: number, limit: number) {
  return withInterests(db, userId)
    .with(
      (cte) => cte('candidates').notMaterialized(),
      (qb) =>
        qb
          .selectFrom('mentors as cm')
          .select(['cm.id', 'cm.rating_avg'])
          .where('cm.status', '=', sql.lit('approved'))
          .where('cm.is_active', '=', sql.lit(true))
          .where('cm.user_id', '<>', userId)
          .where('cm.id', 'not in', (eb) =>
            eb.selectFrom('bookings as b').select('b.mentor_id').where('b.mentee_id', '=', userId),
          ),
    )
    .with('matched', (qb) =>
      qb
        .selectFrom('candidates as k')
        .select(['k.id as mentor_id', sql<number>`1`.as('matched')])
        .where(hasInterests)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('mentor_expertise as me')
              .innerJoin('interests as mi', 'mi.tag_id', 'me.tag_id')
              .select(sql`1`.as('one'))
              .whereRef('me.mentor_id', '=', 'k.id'),
          ),
        )
        .orderBy('k.rating_avg', 'desc')
        .orderBy('k.id', 'desc')
        .limit(limit),
    )
    .with('top_rated', (qb) =>
      qb
        .selectFrom('candidates as k')
        .select(['k.id as mentor_id', sql<number>`0`.as('matched')])
        .orderBy('k.rating_avg', 'desc')
        .orderBy('k.id', 'desc')
        .limit(limit),
    )
    .with('picked', (qb) =>
      qb
        .selectFrom('matched')
        .select(['matched.mentor_id', 'matched.matched'])
        .unionAll((eb) => eb.selectFrom('top_rated').select(['top_rated.mentor_id', 'top_rated.matched'])),
    )
    .selectFrom('picked as pk')
    .select((eb) => [
      'pk.mentor_id',
      'pk.matched',
      eb
        .selectFrom('interests as i')
        .innerJoin('mentor_expertise as te', 'te.tag_id', 'i.tag_id')
        .select(sharedTags.as('tags'))
        .whereRef('te.mentor_id', '=', 'pk.mentor_id')
        .as('tags'),
    ]);
}

/** Up to 2 × limit mentor cards (a mentor may come twice: matched and top rated), matches first. One statement. */
export function recommendedMentorsQuery(db: Kysely<Database>, userId: number, limit: number) {
  return selectMentorsWithUser(db)
    .innerJoin(mentorPicks(db, userId, limit).as('p'), 'p.mentor_id', 'm.id')
    .select(['p.matched', 'p.tags'])
    .orderBy('p.matched', 'desc')
    .orderBy('m.rating_avg', 'desc')
    .orderBy('m.id', 'desc');
}

/**
 * Course candidates the same way: the most enrolled published courses whose instructor shares an interest tag,
 * then the most enrolled overall (walks of courses_popular_idx). Never the user's own courses, nor one they are
 * enrolled in.
 */
function coursePicks(db: Kysely<Database>, userId: number, limit: number) {
  return withInterests(db, userId)
    .with(
      (cte) => cte('candidates').notMaterialized(),
      (qb) =>
        qb
          .selectFrom('courses as cc')
          .select(['cc.id', 'cc.instructor_id', 'cc.enrollments_count'])
          .where('cc.status', '=', sql.lit('published'))
          .where('cc.is_active', '=', sql.lit(true))
          .where('cc.instructor_id', '<>', userId)
          .where('cc.id', 'not in', (eb) =>
            eb.selectFrom('enrollments as e').select('e.course_id').where('e.user_id', '=', userId),
          ),
    )
    .with('matched', (qb) =>
      qb
        .selectFrom('candidates as k')
        .select(['k.id as course_id', 'k.instructor_id', sql<number>`1`.as('matched')])
        .where(hasInterests)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('mentors as im')
              .innerJoin('mentor_expertise as me', 'me.mentor_id', 'im.id')
              .innerJoin('interests as mi', 'mi.tag_id', 'me.tag_id')
              .select(sql`1`.as('one'))
              .whereRef('im.user_id', '=', 'k.instructor_id'),
          ),
        )
        .orderBy('k.enrollments_count', 'desc')
        .orderBy('k.id', 'desc')
        .limit(limit),
    )
    .with('popular', (qb) =>
      qb
        .selectFrom('candidates as k')
        .select(['k.id as course_id', 'k.instructor_id', sql<number>`0`.as('matched')])
        .orderBy('k.enrollments_count', 'desc')
        .orderBy('k.id', 'desc')
        .limit(limit),
    )
    .with('picked', (qb) =>
      qb
        .selectFrom('matched')
        .select(['matched.course_id', 'matched.instructor_id', 'matched.matched'])
        .unionAll((eb) =>
          eb.selectFrom('popular').select(['popular.course_id', 'popular.instructor_id', 'popular.matched']),
        ),
    )
    .selectFrom('picked as pk')
    .select((eb) => [
      'pk.course_id',
      'pk.matched',
      eb
        .selectFrom('interests as i')
        .innerJoin('mentor_expertise as te', 'te.tag_id', 'i.tag_id')
        .innerJoin('mentors as tm', 'tm.id', 'te.mentor_id')
        .select(sharedTags.as('tags'))
        .whereRef('tm.user_id', '=', 'pk.instructor_id')
        .as('tags'),
    ]);
}

/** Up to 2 × limit course cards, matches first. One statement. */
export function recommendedCoursesQuery(db: Kysely<Database>, userId: number, limit: number) {
  return selectPublishedWithInstructor(db)
    .innerJoin(coursePicks(db, userId, limit).as('p'), 'p.course_id', 'c.id')
    .select(['p.matched', 'p.tags'])
    .orderBy('p.matched', 'desc')
    .orderBy('c.enrollments_count', 'desc')
    .orderBy('c.id', 'desc');
}
