import type { Booking, ErrorBody } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { ORIGIN } from './accounts';

export interface LoadUser {
  userId: number;
  token: string;
}

export interface LoadResponse {
  kind: 'read' | 'booking' | 'profile';
  status: number;
  /** When the answer arrived (ms since the epoch). */
  at: number;
  retryAfter: string | null;
  errorCode: string | undefined;
}

export interface AcknowledgedBooking {
  id: number;
  menteeId: number;
  mentorId: number;
  startsAt: string;
}

export interface LoadLimits {
  /** Requests each user sends at most. */
  requestsPerUser: number;
  /** The load stops by itself after this long, whatever the test does. */
  maxDurationMs: number;
  /** Pause between one user's requests: a steady rate rather than a flood. */
  pauseMs: number;
}

const HOUR = 3_600_000;
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Shared by every load in the process, so no two bookings ever ask for the same hour of the same mentor. */
let nextSlot = 0;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Several signed-in users against a listening API over real HTTP, each in turn: the mentor list, a booking, a
 * mentor page and a profile edit. It records every answer and every write the API acknowledged, so a test can
 * check afterwards that each acknowledged write is in the database.
 */
export class MixedLoad {
  readonly responses: LoadResponse[] = [];
  readonly bookings: AcknowledgedBooking[] = [];
  /** Per user: the sequence number of the last acknowledged bio, and of the last one sent. */
  readonly bios = new Map<number, { acknowledged: number; sent: number }>();
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly users: readonly LoadUser[],
    private readonly mentorIds: readonly number[],
    private readonly limits: LoadLimits,
  ) {}

  start(): void {
    const deadline = Date.now() + this.limits.maxDurationMs;
    this.running = Promise.all(this.users.map((user) => this.runUser(user, deadline))).then(() => undefined);
  }

  /** Asks every user to stop after the request in flight, and waits until they have. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Answers of one kind (or all), optionally only those that arrived after `since`. */
  count(filter: { kind?: LoadResponse['kind']; status?: number; since?: number } = {}): number {
    return this.responses.filter(
      (response) =>
        (filter.kind === undefined || response.kind === filter.kind) &&
        (filter.status === undefined || response.status === filter.status) &&
        (filter.since === undefined || response.at > filter.since),
    ).length;
  }

  /** Acknowledged writes (2xx bookings and profile edits) after `since`. */
  acknowledgedWrites(since = 0): number {
    return this.responses.filter(
      (response) => response.kind !== 'read' && response.status < 300 && response.at > since,
    ).length;
  }

  static bioText(userId: number, sequence: number): string {
    return `bio of ${userId} #${sequence}`;
  }

  private async runUser(user: LoadUser, deadline: number): Promise<void> {
    for (let step = 0; step < this.limits.requestsPerUser; step++) {
      if (this.stopped || Date.now() > deadline) return;
      const mentorId = this.mentorIds[step % this.mentorIds.length] ?? 0;
      switch (step % 4) {
        case 0:
          await this.send('read', 'GET', '/api/mentors?limit=5', user);
          break;
        case 1:
          await this.book(user);
          break;
        case 2:
          await this.send('read', 'GET', `/api/mentors/${mentorId}`, user);
          break;
        default:
          await this.editBio(user);
      }
      await pause(this.limits.pauseMs);
    }
  }

  private async book(user: LoadUser): Promise<void> {
    // Every booking takes its own hour with one of the mentors, so none is refused for an overlap.
    const slot = nextSlot++;
    const mentorId = this.mentorIds[slot % this.mentorIds.length] ?? 0;
    const hour = Math.ceil(Date.now() / HOUR) + 2 + Math.floor(slot / this.mentorIds.length);
    const startsAt = new Date(hour * HOUR).toISOString();
    const body = await this.send('booking', 'POST', '/api/bookings', user, { mentorId, startsAt });
    if (body) {
      const booking = body as Booking;
      this.bookings.push({ id: booking.id, menteeId: user.userId, mentorId, startsAt });
    }
  }

  private async editBio(user: LoadUser): Promise<void> {
    const state = this.bios.get(user.userId) ?? { acknowledged: 0, sent: 0 };
    this.bios.set(user.userId, state);
    const sequence = state.sent + 1;
    state.sent = sequence;
    const bio = MixedLoad.bioText(user.userId, sequence);
    if (await this.send('profile', 'PATCH', `/api/users/${user.userId}`, user, { bio }))
      state.acknowledged = sequence;
  }

  /** Sends one request; returns the parsed body of a 2xx answer, undefined otherwise. */
  private async send(
    kind: LoadResponse['kind'],
    method: string,
    path: string,
    user: LoadUser,
    payload?: object,
  ): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          cookie: `mh_session=${user.token}`,
          origin: ORIGIN,
          ...(payload && { 'content-type': 'application/json' }),
        },
        ...(payload && { body: JSON.stringify(payload) }),
      });
      text = await response.text();
    } catch {
      // No HTTP answer at all (the connection broke): recorded as status 0, which no test accepts.
      this.responses.push({ kind, status: 0, at: Date.now(), retryAfter: null, errorCode: undefined });
      return undefined;
    }
    const body = parseJson(text);
    this.responses.push({
      kind,
      status: response.status,
      at: Date.now(),
      retryAfter: response.headers.get('retry-after'),
      errorCode: response.ok ? undefined : (body as Partial<ErrorBody> | undefined)?.error?.code,
    });
    return response.ok ? body : undefined;
  }
}

/**
 * Every booking and bio edit the API acknowledged is in the database, and every booking (acknowledged or not) has
 * its notification: nothing was lost, nothing half-written.
 */
export async function expectAcknowledgedWritesStored(db: Kysely<Database>, load: MixedLoad): Promise<void> {
  const ids = load.bookings.map((booking) => booking.id);
  const { rows } = await sql<{ id: number; mentee_id: number; mentor_id: number; starts_at: Date }>`
    SELECT id, mentee_id, mentor_id, starts_at FROM bookings WHERE id = ANY(${ids})`.execute(db);
  const stored = new Map(rows.map((row) => [row.id, row]));
  for (const booking of load.bookings) {
    const row = stored.get(booking.id);
    expect(row, `acknowledged booking ${booking.id}`).toBeDefined();
    expect({
      menteeId: row?.mentee_id,
      mentorId: row?.mentor_id,
      startsAt: row?.starts_at.toISOString(),
    }).toEqual({
      menteeId: booking.menteeId,
      mentorId: booking.mentorId,
      startsAt: booking.startsAt,
    });
  }
  const { rows: orphans } = await sql<{ id: number }>`
    SELECT b.id FROM bookings b JOIN mentors m ON m.id = b.mentor_id
    WHERE NOT EXISTS (
      SELECT 1 FROM notifications n
      WHERE n.user_id = m.user_id AND n.type = 'booking.requested' AND (n.payload->>'bookingId')::int = b.id)`.execute(
    db,
  );
  expect(orphans).toEqual([]);
  // A bio is the last acknowledged one, or a later one whose answer was lost in the outage.
  const { rows: bios } = await sql<{ id: number; bio: string | null }>`
    SELECT id, bio FROM users WHERE id = ANY(${[...load.bios.keys()]})`.execute(db);
  for (const [userId, { acknowledged, sent }] of load.bios) {
    if (acknowledged === 0) continue;
    const bio = bios.find((row) => row.id === userId)?.bio ?? '';
    const sequence = Number(/#(\d+)$/.exec(bio)?.[1]);
    expect(sequence, `bio of user ${userId}: ${bio}`).toBeGreaterThanOrEqual(acknowledged);
    expect(sequence).toBeLessThanOrEqual(sent);
  }
}
