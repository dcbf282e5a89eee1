import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarOf, sessionEvent, type SessionEvent } from './ics';

const sender = { name: 'MentorHub', email: 'bookings@mentorhub.test', domain: 'mentorhub.test' };

const session: SessionEvent = {
  bookingId: 42,
  sequence: 3,
  startsAt: new Date('2027-03-14T06:00:00Z'),
  endsAt: new Date('2027-03-14T07:00:00Z'),
  stampedAt: new Date('2027-03-01T12:00:00Z'),
  status: 'confirmed',
  attendee: { name: 'Zoë "Z" Müller-Lüdenscheidt, PhD; Esq.: 東京', email: 'zoe@example.com' },
  otherPartyName: 'Ana; María, "la profe"\\ Ölçek',
  meetingUrl: 'https://video.example.com/a-room-with-a-rather-long-name-that-needs-folding?x=1&y=2',
  dashboardUrl: 'https://app.mentorhub.test/dashboard',
};

function parse(text: string) {
  const vcalendar = ICAL.Component.fromString(text);
  const vevent = vcalendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { vcalendar, vevent, event: new ICAL.Event(vevent) };
}

describe('iCalendar writing', () => {
  it('round-trips names with quotes, commas, semicolons, colons and non-ASCII through ical.js', () => {
    const text = calendarOf([sessionEvent(session, sender)], { method: 'REQUEST' });
    const { vcalendar, vevent, event } = parse(text);
    expect(vcalendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.summary).toBe(`Mentoring session with ${session.otherPartyName}`);
    expect(event.attendees[0]?.getParameter('cn')).toBe(session.attendee.name);
    expect(event.attendees[0]?.getFirstValue()).toBe('mailto:zoe@example.com');
    expect(event.location).toBe(session.meetingUrl);
    expect(event.description).toBe(
      `Join: ${String(session.meetingUrl)}\nYour dashboard: https://app.mentorhub.test/dashboard`,
    );
    expect(vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2027-03-01T12:00:00Z');
  });

  it('writes CRLF lines folded to at most 75 octets (UTF-8), times in UTC', () => {
    const text = calendarOf([sessionEvent(session, sender)], { method: 'CANCEL' });
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(Math.max(...lines.map((line) => Buffer.byteLength(line)))).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true); // the long attendee line was folded
    expect(lines).toContain('DTSTART:20270314T060000Z');
    expect(lines).toContain('DTEND:20270314T070000Z');
    expect(lines).toContain('UID:booking-42@mentorhub.test');
    expect(lines).toContain('SEQUENCE:3');
  });

  it('a feed has no METHOD but a name and a refresh interval', () => {
    const text = calendarOf([sessionEvent({ ...session, meetingUrl: null }, sender)], {
      feedName: 'Sessions',
    });
    const { vcalendar, event } = parse(text);
    expect(vcalendar.getFirstPropertyValue('method')).toBeNull();
    expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('Sessions');
    expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(event.location).toBeNull();
    expect(event.description).toBe('Your dashboard: https://app.mentorhub.test/dashboard');
  });
});
