import type { AvailabilitySettings } from '@mentorhub/contracts';
import { clockTimeToMinute } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { notSuspended } from '../../infra/auth/suspension';
import { compiledOnce } from '../../infra/db/compiled-once';

type Executor = Kysely<Database> | Transaction<Database>;

/** Bookings that hold their time: confirmed ones, and requests that have not expired yet. */
export function liveBookingsOf(db: Executor, mentorId: number, requestsSince: Date) {
  return db
    .selectFrom('bookings as b')
    .where('b.mentor_id', '=', mentorId)
    .where((eb) =>
      eb.or([
        eb('b.status', '=', sql.lit('confirmed')),
        eb.and([eb('b.status', '=', sql.lit('requested')), eb('b.created_at', '>', requestsSince)]),
      ]),
    );
}

/**
 * A listed mentor's booking settings with their rules, the overrides of the dates in [fromDate, toDate] and the
 * live bookings whose time or open reschedule proposal overlaps [from, to): one statement. `exceptBookingId`
 * leaves one booking out (its own times do not block moving it).
 */
export function slotInputs(
  db: Executor,
  mentorId: number,
  dates: { fromDate: string; toDate: string },
  range: { from: Date; to: Date },
  requestsSince: Date,
  exceptBookingId?: number,
) {
  let busy = liveBookingsOf(db, mentorId, requestsSince).where((eb) =>
    eb.or([
      eb.and([eb('b.starts_at', '<', range.to), eb('b.ends_at', '>', range.from)]),
      eb.and([eb('b.proposed_starts_at', '<', range.to), eb('b.proposed_ends_at', '>', range.from)]),
    ]),
  );
  if (exceptBookingId !== undefined) busy = busy.where('b.id', '<>', exceptBookingId);
  return db
    .selectFrom('mentors as m')
    .innerJoin('users as mu', 'mu.id', 'm.user_id')
    .where('m.id', '=', mentorId)
    .where('m.status', '=', sql.lit('approved'))
    .where('m.is_active', '=', sql.lit(true))
    .where(notSuspended('mu.suspended_until'))
    .select((eb) => [
      'm.id',
      'm.user_id',
      'm.timezone',
      'm.session_minutes',
      'm.min_notice_minutes',
      'm.buffer_minutes',
      'm.hourly_rate_cents',
      'm.currency',
      jsonArrayFrom(
        eb
          .selectFrom('availability_rules as r')
          .whereRef('r.mentor_id', '=', 'm.id')
          .select(['r.weekday', 'r.start_minute', 'r.end_minute']),
      ).as('rules'),
      jsonArrayFrom(
        eb
          .selectFrom('availability_overrides as o')
          .whereRef('o.mentor_id', '=', 'm.id')
          .where('o.date', '>=', dates.fromDate)
          .where('o.date', '<=', dates.toDate)
          .select(['o.date', 'o.start_minute', 'o.end_minute', 'o.is_available']),
      ).as('overrides'),
      jsonArrayFrom(
        busy.select(['b.starts_at', 'b.ends_at', 'b.proposed_starts_at', 'b.proposed_ends_at']),
      ).as('busy'),
    ]);
}

/** `slotInputs` of a public availability range (no booking left out), built once: its values are parameters. */
export const rangeSlotInputs = compiledOnce(
  ['mentorId', 'fromDate', 'toDate', 'from', 'to', 'requestsSince'],
  (
    db,
    input: { mentorId: number; fromDate: string; toDate: string; from: Date; to: Date; requestsSince: Date },
  ) => slotInputs(db, input.mentorId, input, input, input.requestsSince),
);

export type SlotInputsRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof slotInputs>['executeTakeFirst']>>
>;

export function settingsOf(db: Executor, mentorId: number) {
  return db
    .selectFrom('mentors as m')
    .where('m.id', '=', mentorId)
    .select((eb) => [
      'm.user_id',
      'm.timezone',
      'm.session_minutes',
      'm.min_notice_minutes',
      'm.buffer_minutes',
      jsonArrayFrom(
        eb
          .selectFrom('availability_rules as r')
          .whereRef('r.mentor_id', '=', 'm.id')
          .select(['r.weekday', 'r.start_minute', 'r.end_minute'])
          .orderBy('r.weekday')
          .orderBy('r.start_minute'),
      ).as('rules'),
      jsonArrayFrom(
        eb
          .selectFrom('availability_overrides as o')
          .whereRef('o.mentor_id', '=', 'm.id')
          .select(['o.date', 'o.start_minute', 'o.end_minute', 'o.is_available'])
          .orderBy('o.date')
          .orderBy('o.start_minute'),
      ).as('overrides'),
    ])
    .executeTakeFirst();
}

export type SettingsRow = NonNullable<Awaited<ReturnType<typeof settingsOf>>>;

/** Replaces the settings, rules and overrides as a whole (inside the caller's transaction). */
export async function replaceSettings(
  trx: Transaction<Database>,
  mentorId: number,
  settings: AvailabilitySettings,
) {
  await trx
    .updateTable('mentors')
    .set({
      timezone: settings.timezone,
      session_minutes: settings.sessionMinutes,
      min_notice_minutes: settings.minNoticeMinutes,
      buffer_minutes: settings.bufferMinutes,
      updated_at: sql`now()`,
    })
    .where('id', '=', mentorId)
    .execute();
  await trx.deleteFrom('availability_rules').where('mentor_id', '=', mentorId).execute();
  await trx.deleteFrom('availability_overrides').where('mentor_id', '=', mentorId).execute();
  if (settings.rules.length > 0)
    await trx
      .insertInto('availability_rules')
      .values(
        settings.rules.map((rule) => ({
          mentor_id: mentorId,
          weekday: rule.weekday,
          start_minute: clockTimeToMinute(rule.start),
          end_minute: clockTimeToMinute(rule.end),
        })),
      )
      .execute();
  if (settings.overrides.length > 0)
    await trx
      .insertInto('availability_overrides')
      .values(
        settings.overrides.map((o) => ({
          mentor_id: mentorId,
          date: o.date,
          is_available: o.available,
          start_minute: o.start === undefined ? null : clockTimeToMinute(o.start),
          end_minute: o.end === undefined ? null : clockTimeToMinute(o.end),
        })),
      )
      .execute();
}
