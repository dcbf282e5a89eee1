import type { AvailabilitySettings } from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { signUpMentor, write } from './accounts';

export const HOUR = 3_600_000;

/** Everyday hours in UTC, no minimum notice: slots exist from the next hour on, whatever time the test runs. */
export const OPEN_ALL_WEEK: AvailabilitySettings = {
  timezone: 'UTC',
  sessionMinutes: 60,
  minNoticeMinutes: 0,
  bufferMinutes: 0,
  rules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  overrides: [],
};

/** A whole hour at least `hoursAhead` from now, as the API writes instants. */
export function hourFromNow(hoursAhead: number): string {
  return new Date(Math.ceil((Date.now() + hoursAhead * HOUR) / HOUR) * HOUR).toISOString();
}

/** A listed mentor (see `signUpMentor`) open for booking every hour of every day. */
export async function signUpBookableMentor(app: FastifyInstance, email: string) {
  const mentor = await signUpMentor(app, email);
  const response = await write(
    app,
    mentor.token,
    'PUT',
    `/api/mentors/${mentor.mentorId}/availability`,
    OPEN_ALL_WEEK,
  );
  expect(response.statusCode, response.body).toBe(200);
  return mentor;
}
