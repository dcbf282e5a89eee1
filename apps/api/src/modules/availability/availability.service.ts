import {
  minuteToClockTime,
  type Availability,
  type AvailabilityQuery,
  type AvailabilitySettings,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { markAvailabilityChanged } from '../reliability/responsiveness.repository';
import { refreshMentors, type ResponsivenessPolicy } from '../reliability/responsiveness.service';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { AppError, notFound } from '../../infra/errors/app-error';
import { mentorTag } from '../mentors/mentors.cache';
import * as availability from './availability.repository';
import { availabilityDays, openSlotStarts, type SlotInputs } from './open-slots';
import { addDays, DAY_MS, MINUTE_MS } from './zoned-time';

/** Requests created before this instant have expired and no longer hold their time. */
export function requestsSince(now: number, requestTtlMinutes: number): Date {
  return new Date(now - requestTtlMinutes * MINUTE_MS);
}

export function toSlotInputs(row: availability.SlotInputsRow): SlotInputs {
  return {
    timezone: row.timezone,
    sessionMinutes: row.session_minutes,
    minNoticeMinutes: row.min_notice_minutes,
    bufferMinutes: row.buffer_minutes,
    rules: row.rules,
    overrides: row.overrides,
    // JSON aggregation hands timestamps over as strings; new Date() reads either form. An open proposal holds its
    // time like a booking does.
    busy: row.busy.flatMap((b) => [
      { startsAt: new Date(b.starts_at).getTime(), endsAt: new Date(b.ends_at).getTime() },
      ...(b.proposed_starts_at && b.proposed_ends_at
        ? [
            {
              startsAt: new Date(b.proposed_starts_at).getTime(),
              endsAt: new Date(b.proposed_ends_at).getTime(),
            },
          ]
        : []),
    ]),
  };
}

/**
 * What a range of dates needs to be read with. Dates are widened by two days on each side: any timezone's day
 * overlaps the UTC days next to it, and bookings or buffers may reach across midnight.
 */
function slotInputsRange(fromDate: string, toDate: string, requestTtlMinutes: number, now: number) {
  return {
    fromDate: addDays(fromDate, -2),
    toDate: addDays(toDate, 2),
    from: new Date(Date.parse(fromDate) - 2 * DAY_MS),
    to: new Date(Date.parse(toDate) + 3 * DAY_MS),
    requestsSince: requestsSince(now, requestTtlMinutes),
  };
}

/**
 * The query for what a range of dates needs (one statement). `exceptBookingId`: the booking being moved, whose own
 * times stay free for it.
 */
export function slotInputsQuery(
  db: Kysely<Database>,
  mentorId: number,
  fromDate: string,
  toDate: string,
  requestTtlMinutes: number,
  now: number,
  exceptBookingId?: number,
) {
  const range = slotInputsRange(fromDate, toDate, requestTtlMinutes, now);
  return availability.slotInputs(db, mentorId, range, range, range.requestsSince, exceptBookingId);
}

/** Is `startsAt` one of the sessions the mentor offers now? The same computation as the public availability. */
export function offersSlot(inputs: SlotInputs, startsAt: number, now: number): boolean {
  return openSlotStarts(inputs, startsAt, startsAt + 1, now).includes(startsAt);
}

export async function getAvailability(
  db: Kysely<Database>,
  mentorId: number,
  query: AvailabilityQuery,
  requestTtlMinutes: number,
  now: number,
): Promise<Availability> {
  const [row] = await availability.rangeSlotInputs.execute(db, {
    mentorId,
    ...slotInputsRange(query.from, query.to, requestTtlMinutes, now),
  });
  if (!row) throw notFound('Mentor');
  const timezone = query.tz ?? row.timezone;
  return {
    mentorId,
    timezone,
    mentorTimezone: row.timezone,
    sessionMinutes: row.session_minutes,
    days: availabilityDays(toSlotInputs(row), { from: query.from, to: query.to, timezone }, now),
  };
}

function toSettings(row: availability.SettingsRow): AvailabilitySettings {
  return {
    timezone: row.timezone,
    sessionMinutes: row.session_minutes,
    minNoticeMinutes: row.min_notice_minutes,
    bufferMinutes: row.buffer_minutes,
    rules: row.rules.map((r) => ({
      weekday: r.weekday,
      start: minuteToClockTime(r.start_minute),
      end: minuteToClockTime(r.end_minute),
    })),
    overrides: row.overrides.map((o) => ({
      date: o.date,
      available: o.is_available,
      ...(o.start_minute === null || o.end_minute === null
        ? {}
        : { start: minuteToClockTime(o.start_minute), end: minuteToClockTime(o.end_minute) }),
    })),
  };
}

async function ownSettings(db: Kysely<Database>, principal: SessionPrincipal, mentorId: number) {
  const row = await availability.settingsOf(db, mentorId);
  if (!row) throw notFound('Mentor');
  if (row.user_id !== principal.userId && principal.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only the mentor can see or change their availability settings');
  return row;
}

export async function getAvailabilitySettings(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  mentorId: number,
) {
  return toSettings(await ownSettings(db, principal, mentorId));
}

/**
 * Replaces the mentor's settings, rules and overrides; existing bookings stand (they are commitments). A change of
 * availability is a sign the mentor is back: one hidden for leaving requests unanswered is listed again.
 */
export async function replaceAvailability(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  mentorId: number,
  settings: AvailabilitySettings,
  activity: { now: number; responsiveness: ResponsivenessPolicy },
): Promise<AvailabilitySettings> {
  const row = await ownSettings(ctx.db, principal, mentorId);
  if (row.user_id !== principal.userId)
    throw new AppError('FORBIDDEN', 'Only the mentor can change their availability');
  const tags = await ctx.db.transaction().execute(async (trx) => {
    await availability.replaceSettings(trx, mentorId, settings);
    await markAvailabilityChanged(trx, mentorId, new Date(activity.now));
    return refreshMentors(trx, activity.responsiveness, activity.now, [mentorId]);
  });
  // The mentor's tag also drops their page and list cards (they show the timezone) along with cached slots.
  await ctx.cache.invalidateTags([...new Set([mentorTag(mentorId), ...tags])]);
  return settings;
}
