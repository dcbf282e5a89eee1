import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Confirmed sessions that start after `now`, with each party's reminder preferences (null: never changed): the
 * listed bookings, or every upcoming session of one user.
 */
export function upcomingSessions(
  db: Db,
  which: { bookingIds: readonly number[] } | { userId: number },
  now: Date,
) {
  let query = db
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .leftJoin('notification_preferences as mp', 'mp.user_id', 'm.user_id')
    .leftJoin('notification_preferences as ep', 'ep.user_id', 'b.mentee_id')
    .select([
      'b.id',
      'b.starts_at',
      'b.mentee_id',
      'm.user_id as mentor_user_id',
      'mp.opted_out as mentor_opted_out',
      'mp.reminder_offset_minutes as mentor_offsets',
      'ep.opted_out as mentee_opted_out',
      'ep.reminder_offset_minutes as mentee_offsets',
    ])
    .where('b.status', '=', 'confirmed')
    .where('b.starts_at', '>', now);
  if ('userId' in which) {
    const { userId } = which;
    query = query.where((eb) => eb.or([eb('b.mentee_id', '=', userId), eb('m.user_id', '=', userId)]));
  } else {
    if (which.bookingIds.length === 0) return Promise.resolve([]);
    query = query.where('b.id', 'in', which.bookingIds);
  }
  return query.execute();
}

/** What a reminder checks at delivery: the session as it is now, and the recipient's current offsets. */
export function findSessionForReminder(db: Db, bookingId: number, recipientId: number) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .innerJoin('users as mu', 'mu.id', 'm.user_id')
    .innerJoin('users as mentee', 'mentee.id', 'b.mentee_id')
    .leftJoin('notification_preferences as p', (join) => join.on('p.user_id', '=', recipientId))
    .select([
      'b.status',
      'b.starts_at',
      'b.mentee_id',
      'mu.name as mentor_name',
      'mentee.name as mentee_name',
      'p.reminder_offset_minutes as recipient_offsets',
    ])
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}
