import ICAL from 'ical.js';

// RFC 5545 §3.1: lines of at most 75 octets, a continuation's leading space included; ical.js folds after
// `foldLength` octets of content and then adds that space.
ICAL.foldLength = 74;

/** The iTIP methods MentorHub sends (RFC 5546): an event to put in the calendar, or to take out of it. */
export type InviteMethod = 'REQUEST' | 'CANCEL';

/** One session as one person's calendar shows it. */
export interface SessionEvent {
  bookingId: number;
  /** The iCalendar SEQUENCE: `bookings.sequence`, incremented by every change, so calendars keep the newest. */
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  /** When this version of the event was written (the delivery for an invite, the last change for the feed). */
  stampedAt: Date;
  status: 'confirmed' | 'cancelled';
  /** The person whose calendar it is: the only attendee (neither party's address is shown to the other). */
  attendee: { name: string; email: string };
  otherPartyName: string;
  meetingUrl: string | null;
  dashboardUrl: string;
}

/** Who sends: MentorHub organizes every session, so replies and updates come from and go to its address. */
export interface CalendarSender {
  name: string;
  email: string;
  /** The domain that makes UIDs globally unique: `booking-<id>@<domain>`. */
  domain: string;
}

/** Stable for the booking's whole life: every invite, cancellation and feed entry of it is the same event. */
export function eventUid(bookingId: number, domain: string): string {
  return `booking-${String(bookingId)}@${domain}`;
}

/**
 * A VEVENT for one session. Times are written in UTC (`…Z`), which every calendar reads as the same instant and
 * shows in its user's own zone, so no VTIMEZONE is needed and no zone can be misread.
 */
export function sessionEvent(event: SessionEvent, sender: CalendarSender): ICAL.Component {
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', eventUid(event.bookingId, sender.domain));
  vevent.addPropertyWithValue('sequence', event.sequence);
  vevent.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(event.stampedAt, true));
  vevent.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(event.startsAt, true));
  vevent.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(event.endsAt, true));
  vevent.addPropertyWithValue('summary', `Mentoring session with ${event.otherPartyName}`);
  const organizer = vevent.addPropertyWithValue('organizer', `mailto:${sender.email}`);
  organizer.setParameter('cn', sender.name);
  const attendee = vevent.addPropertyWithValue('attendee', `mailto:${event.attendee.email}`);
  attendee.setParameter('cn', event.attendee.name);
  attendee.setParameter('role', 'REQ-PARTICIPANT');
  // Both parties agreed to the session by booking and confirming it; MentorHub takes no RSVP by mail.
  attendee.setParameter('partstat', 'ACCEPTED');
  attendee.setParameter('rsvp', 'FALSE');
  if (event.meetingUrl) {
    vevent.addPropertyWithValue('location', event.meetingUrl);
    vevent.addPropertyWithValue('url', event.meetingUrl);
  }
  const description = [
    ...(event.meetingUrl ? [`Join: ${event.meetingUrl}`] : []),
    `Your dashboard: ${event.dashboardUrl}`,
  ];
  vevent.addPropertyWithValue('description', description.join('\n'));
  vevent.addPropertyWithValue('status', event.status === 'confirmed' ? 'CONFIRMED' : 'CANCELLED');
  vevent.addPropertyWithValue('transp', 'OPAQUE');
  return vevent;
}

/**
 * A VCALENDAR around `events`. An invite carries its iTIP `method`; a subscribed feed has none (RFC 5545 §3.7.2),
 * and names itself and how often to refresh it (RFC 7986).
 */
export function calendarOf(
  events: ICAL.Component[],
  kind: { method: InviteMethod } | { feedName: string },
): string {
  const vcalendar = new ICAL.Component('vcalendar');
  vcalendar.addPropertyWithValue('prodid', '-//MentorHub//Sessions//EN');
  vcalendar.addPropertyWithValue('version', '2.0');
  vcalendar.addPropertyWithValue('calscale', 'GREGORIAN');
  if ('method' in kind) {
    vcalendar.addPropertyWithValue('method', kind.method);
  } else {
    vcalendar.addPropertyWithValue('name', kind.feedName);
    vcalendar.addPropertyWithValue('x-wr-calname', kind.feedName);
    vcalendar.addPropertyWithValue('refresh-interval', ICAL.Duration.fromString('PT1H'));
    vcalendar.addPropertyWithValue('x-published-ttl', 'PT1H');
  }
  for (const event of events) vcalendar.addSubcomponent(event);
  return `${vcalendar.toString()}\r\n`;
}
