import type { Booking } from '@mentorhub/contracts';
import { describe, expect, it } from 'vitest';
import { generateSrcSet, isApiMedia, placeholderStyle } from '../components/image/srcset';
import { parseSetCookie } from '../features/auth/set-cookie';
import { groupSessions } from '../features/bookings/sessions';
import { mentorApiQuery, mentorsHref, readMentorFilters } from '../features/mentors/filters';
import { safeReturnPath } from './actions';
import { addDays, formatMinutes, formatMoney, initials, todayIn } from './format';

describe('mentor filters in the URL', () => {
  it('reads the URL, converts prices to cents and drops malformed numbers', () => {
    const filters = readMentorFilters({
      q: ' react ',
      minPrice: '40',
      maxPrice: 'lots',
      sort: 'bogus',
      minRating: '4.5',
      minResponseRate: '101',
    });
    expect(filters.q).toBe('react');
    expect(filters.sort).toBe('rating');
    expect(mentorApiQuery(filters, 12)).toMatchObject({
      q: 'react',
      minPriceCents: 4000,
      maxPriceCents: undefined,
      minRating: 4.5,
      minResponseRate: undefined,
      sort: 'rating',
      limit: 12,
    });
  });

  it('builds short links: no empty values, no default sort', () => {
    expect(mentorsHref({ q: 'go', sort: 'rating', expertise: '' })).toBe('/mentors?q=go');
    expect(mentorsHref({ sort: 'price', cursor: 'abc' })).toBe('/mentors?sort=price&cursor=abc');
    expect(mentorsHref({})).toBe('/mentors');
  });
});

describe('images', () => {
  it('offers only the widths a screen can use (up to twice the displayed size)', () => {
    expect(generateSrcSet('/img/1', 128)).toBe('/img/1?w=64 64w, /img/1?w=128 128w, /img/1?w=256 256w');
    expect(generateSrcSet('/img/1?v=2', 20, [64, 128])).toBe('/img/1?v=2&w=64 64w');
  });

  it('makes a deterministic, request-free placeholder per image', () => {
    expect(placeholderStyle('/api/media/1')).toEqual(placeholderStyle('/api/media/1'));
    expect(placeholderStyle('/api/media/1')).not.toEqual(placeholderStyle('/api/media/2'));
    expect(placeholderStyle(7).backgroundImage).toMatch(
      /^linear-gradient\(135deg, hsl\(\d+ 45% 85%\), hsl\(\d+ 40% 70%\)\)$/,
    );
    expect(isApiMedia('/api/media/3')).toBe(true);
    expect(isApiMedia('/logo.png')).toBe(false);
  });
});

describe('the session cookie passed on from the API', () => {
  it('parses name, value and attributes', () => {
    expect(parseSetCookie('mh_session=a%20b; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax')).toEqual({
      name: 'mh_session',
      value: 'a b',
      path: '/',
      maxAge: 2592000,
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
    });
    expect(parseSetCookie('garbage')).toBeNull();
  });
});

describe('return paths after an action', () => {
  it('accepts same-site paths only', () => {
    expect(safeReturnPath('/mentors/3', '/')).toBe('/mentors/3');
    expect(safeReturnPath('//evil.example', '/')).toBe('/');
    expect(safeReturnPath('https://evil.example', '/dashboard')).toBe('/dashboard');
    expect(safeReturnPath('/\\evil.example', '/')).toBe('/');
  });
});

describe('formatting', () => {
  it('formats money, durations, names and dates', () => {
    expect(formatMoney(6000, 'USD')).toBe('$60');
    expect(formatMoney(6050, 'USD')).toBe('$60.50');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(initials('Ada  Lovelace King')).toBe('AL');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-01-01T12:00:00Z'))).toBe('2026-01-02');
  });
});

describe('the dashboard’s sessions', () => {
  const now = new Date('2026-05-10T12:00:00Z');
  const booking = (id: number, status: Booking['status'], startsAt: string, proposal = false): Booking => {
    const end = new Date(new Date(startsAt).getTime() + 3_600_000).toISOString();
    return {
      id,
      status,
      startsAt,
      endsAt: end,
      price: { amountCents: 5000, currency: 'USD' },
      note: '',
      mentor: { id: 1, user: { id: 1, name: 'M', avatarUrl: null, avatar: null } },
      mentee: { id: 2, name: 'E', avatarUrl: null, avatar: null },
      cancelReason: null,
      meetingUrl: null,
      sequence: 1,
      proposal: proposal ? { startsAt: end, endsAt: end, proposedBy: 'mentor' } : null,
      actions: [],
      reviewed: false,
      createdAt: '2026-05-01T00:00:00Z',
    };
  };

  it('puts each booking in one group: the next session, awaiting an answer, upcoming, past', () => {
    const later = booking(1, 'confirmed', '2026-05-20T09:00:00Z');
    const soonest = booking(2, 'confirmed', '2026-05-11T09:00:00Z');
    const requested = booking(3, 'requested', '2026-05-12T09:00:00Z');
    const moving = booking(4, 'confirmed', '2026-05-10T15:00:00Z', true);
    const ongoing = booking(5, 'confirmed', '2026-05-10T11:30:00Z');
    const done = booking(6, 'completed', '2026-05-01T09:00:00Z');
    const ended = booking(7, 'confirmed', '2026-05-09T09:00:00Z');
    const staleRequest = booking(8, 'requested', '2026-05-02T09:00:00Z');
    const groups = groupSessions(
      [later, soonest, requested, moving, ongoing, done, ended, staleRequest],
      now,
    );
    expect(groups.next?.id).toBe(5);
    expect(groups.awaiting.map((b) => b.id)).toEqual([4, 3]);
    expect(groups.upcoming.map((b) => b.id)).toEqual([2, 1]);
    expect(groups.past.map((b) => b.id)).toEqual([7, 8, 6]);
  });

  it('has no next session when nothing confirmed lies ahead', () => {
    expect(groupSessions([booking(1, 'cancelled', '2026-05-20T09:00:00Z')], now)).toMatchObject({
      next: null,
      awaiting: [],
      upcoming: [],
    });
  });
});
