import { createHash, randomBytes } from 'node:crypto';
import type { CalendarFeedIssued, CalendarFeedStatus, MeetingRoom } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import { AppError, notFound } from '../../infra/errors/app-error';
import { senderOf } from '../outbox/mail-composer';
import * as calendar from './calendar.repository';
import { calendarOf, sessionEvent } from './ics';
import { sessionEventOf } from './session-event';

export interface CalendarContext {
  db: Kysely<Database>;
  webAppUrl: string;
  mailFrom: string;
  meetingBaseUrl: string;
}

/** A feed shows sessions that started up to this long ago, and everything after. */
const FEED_HISTORY_MS = 30 * 24 * 3_600_000;
/** An anonymous URL answers a bounded amount of work, however many sessions its owner has. */
const FEED_MAX_EVENTS = 500;

/** 256 random bits: the feed's only credential, so it must be unguessable. Only its SHA-256 is stored. */
function newFeedSecret(): string {
  return randomBytes(32).toString('base64url');
}

function hashFeedSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Creates my feed, or rotates its secret: the new URL is returned this once, the old one stops working at once. */
export async function issueFeed(
  ctx: CalendarContext,
  principal: SessionPrincipal,
): Promise<CalendarFeedIssued> {
  const secret = newFeedSecret();
  const { issued_at } = await calendar.storeFeedSecret(ctx.db, principal.userId, hashFeedSecret(secret));
  // Served by the API under the web app's origin, which forwards /api/* to it.
  const url = new URL(`/api/calendar/${secret}.ics`, ctx.webAppUrl).toString();
  return { url, issuedAt: issued_at.toISOString() };
}

export async function feedStatus(
  ctx: CalendarContext,
  principal: SessionPrincipal,
): Promise<CalendarFeedStatus> {
  const feed = await calendar.findFeed(ctx.db, principal.userId);
  return { exists: feed !== undefined, issuedAt: feed?.issued_at.toISOString() ?? null };
}

/**
 * The iCalendar text of the feed whose secret is `secret`: its owner's sessions from 30 days back on, cancelled ones
 * included (as STATUS:CANCELLED) so a subscribed calendar removes them. Each event is stamped with the booking's
 * last change, so the text, and its ETag, change only when a session does.
 */
export async function renderFeed(ctx: CalendarContext, secret: string, now: number): Promise<string> {
  const owner = await calendar.findFeedOwner(ctx.db, hashFeedSecret(secret));
  if (!owner) throw notFound('Calendar feed');
  const rows = await calendar.feedSessions(
    ctx.db,
    owner.id,
    new Date(now - FEED_HISTORY_MS),
    FEED_MAX_EVENTS,
  );
  const sender = senderOf(ctx.mailFrom);
  const events = rows.map((row) =>
    sessionEvent(
      sessionEventOf(row, owner, {
        meetingBaseUrl: ctx.meetingBaseUrl,
        webAppUrl: ctx.webAppUrl,
        stampedAt: row.updated_at,
      }),
      sender,
    ),
  );
  return calendarOf(events, { feedName: 'MentorHub sessions' });
}

/** A mentor's own default room, for their settings (the owner only). */
export async function meetingRoomOf(
  ctx: CalendarContext,
  principal: SessionPrincipal,
  mentorId: number,
): Promise<MeetingRoom> {
  const mentor = await calendar.findMeetingRoom(ctx.db, mentorId);
  if (!mentor) throw notFound('Mentor');
  if (mentor.user_id !== principal.userId)
    throw new AppError('FORBIDDEN', 'Only the mentor can see their meeting room');
  return { meetingUrl: mentor.meeting_url };
}
