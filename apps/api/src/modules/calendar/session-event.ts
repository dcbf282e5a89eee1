import type { SessionEvent } from './ics';
import type { SessionRow } from './calendar.repository';
import { meetingUrlOf } from './meeting-link';

export interface EventSettings {
  meetingBaseUrl: string;
  webAppUrl: string;
  stampedAt: Date;
}

/**
 * The session `row` as `viewer`'s calendar shows it: named after the other party, with the meeting link while it is
 * confirmed. The one mapping from a booking to an event, for invites and feeds alike.
 */
export function sessionEventOf(
  row: SessionRow,
  viewer: { id: number; name: string; email: string },
  settings: EventSettings,
): SessionEvent {
  return {
    bookingId: row.id,
    sequence: row.sequence,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    stampedAt: settings.stampedAt,
    status: row.status === 'cancelled' ? 'cancelled' : 'confirmed',
    attendee: { name: viewer.name, email: viewer.email },
    otherPartyName: viewer.id === row.mentee_id ? row.mentor_name : row.mentee_name,
    meetingUrl: meetingUrlOf(
      { status: row.status, mentorMeetingUrl: row.mentor_meeting_url, meetingRoom: row.meeting_room },
      settings.meetingBaseUrl,
    ),
    dashboardUrl: new URL('/dashboard', settings.webAppUrl).toString(),
  };
}

/** Whether `userId` is one of the two parties of the session. */
export function isPartyOf(row: SessionRow, userId: number): boolean {
  return row.mentee_id === userId || row.mentor_user_id === userId;
}
