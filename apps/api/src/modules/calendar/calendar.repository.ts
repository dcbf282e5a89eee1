import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';

/** A booking with what a calendar event of it needs: both parties' names and addresses, and its meeting place. */
function sessionView(db: Kysely<Database>) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .innerJoin('users as mu', 'mu.id', 'm.user_id')
    .innerJoin('users as mentee', 'mentee.id', 'b.mentee_id')
    .select([
      'b.id',
      'b.status',
      'b.sequence',
      'b.starts_at',
      'b.ends_at',
      'b.updated_at',
      'b.meeting_room',
      'm.meeting_url as mentor_meeting_url',
      'mu.id as mentor_user_id',
      'mu.name as mentor_name',
      'mentee.id as mentee_id',
      'mentee.name as mentee_name',
    ]);
}

export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export function findSession(db: Kysely<Database>, bookingId: number) {
  return sessionView(db).where('b.id', '=', bookingId).executeTakeFirst();
}

/** The statuses a calendar shows: sessions that were agreed on (cancelled ones, so calendars remove them). */
const calendarStatuses = ['confirmed', 'completed', 'no_show', 'cancelled'] as const;

/** A user's sessions as mentee or mentor starting from `since`, soonest first, at most `limit`. */
export function feedSessions(db: Kysely<Database>, userId: number, since: Date, limit: number) {
  return sessionView(db)
    .where((eb) => eb.or([eb('b.mentee_id', '=', userId), eb('m.user_id', '=', userId)]))
    .where('b.status', 'in', calendarStatuses)
    .where('b.starts_at', '>=', since)
    .orderBy('b.starts_at')
    .orderBy('b.id')
    .limit(limit)
    .execute();
}

/** The owner of the feed whose secret hashes to `secretHash`. */
export function findFeedOwner(db: Kysely<Database>, secretHash: Buffer) {
  return db
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('f.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export function findFeed(db: Kysely<Database>, userId: number) {
  return db.selectFrom('calendar_feeds').select('issued_at').where('user_id', '=', userId).executeTakeFirst();
}

/** Creates the user's feed or replaces its secret: the old secret stops working in the same statement. */
export function storeFeedSecret(db: Kysely<Database>, userId: number, secretHash: Buffer) {
  return db
    .insertInto('calendar_feeds')
    .values({ user_id: userId, secret_hash: secretHash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_hash: secretHash, issued_at: new Date() }))
    .returning('issued_at')
    .executeTakeFirstOrThrow();
}

export function findMeetingRoom(db: Kysely<Database>, mentorId: number) {
  return db
    .selectFrom('mentors')
    .select(['user_id', 'meeting_url'])
    .where('id', '=', mentorId)
    .executeTakeFirst();
}
