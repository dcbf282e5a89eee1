import type { Booking } from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { write } from './accounts';

/** A booking request the mentee of `token` makes for `startsAt`; fails unless it is created. */
export async function booked(
  app: FastifyInstance,
  token: string,
  mentorId: number,
  startsAt: string,
): Promise<Booking> {
  const response = await write(app, token, 'POST', '/api/bookings', { mentorId, startsAt });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Booking>();
}
