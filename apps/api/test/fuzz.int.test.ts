import type { Booking, Lesson, StudioCourse } from '@mentorhub/contracts';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, PASSWORD, signUp, write } from './helpers/accounts';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import { DatabaseFingerprint, replay, responseProblem, type SentRequest } from './helpers/fuzz/checks';
import { readOperations, type Operation } from './helpers/fuzz/operations';
import {
  DocumentedSchemas,
  requestArbitrary,
  urlOf,
  type FuzzInput,
  type Hints,
} from './helpers/fuzz/requests';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Every operation of the OpenAPI document, as every kind of caller, with generated valid and hostile input.
 * Seeded, so a run is repeatable: FUZZ_SEED picks another sequence, FUZZ_RUNS sends more per operation and caller.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);

const actors = ['anonymous', 'mentee', 'mentor', 'admin'] as const;
type Actor = (typeof actors)[number];

let t: TestApp;
let operations: Operation[];
let fingerprint: DatabaseFingerprint;
const schemas = new DocumentedSchemas();
const sessions = {} as Record<Exclude<Actor, 'anonymous'>, { email: string; token: string }>;
const hints: Hints = { ids: [1, 2, 3] };
const sentPerOperation = new Map<string, number>();
/** Answers by status class, so a run shows it got past validation as well as into it. */
const answers = new Map<string, number>();
/** FUZZ_REPORT=1: print the answers of every operation by caller and status, to see what a run reached. */
const REPORT = process.env.FUZZ_REPORT === '1';
const answersByOperation = new Map<string, number>();
const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
let reSignIns = 0;
const startedAt = Date.now();

/** Signs an actor in again after a generated request ended its session (a logout that was valid). */
async function signInAgain(actor: Exclude<Actor, 'anonymous'>): Promise<void> {
  reSignIns += 1;
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    // Its own address, so the per-address login limit the fuzzed logins use up does not apply to it.
    remoteAddress: `10.1.${Math.floor(reSignIns / 250)}.${reSignIns % 250}`,
    payload: { email: sessions[actor].email, password: PASSWORD },
  });
  const cookie = response.cookies.find((c) => c.name === 'mh_session');
  if (response.statusCode !== 200 || !cookie) throw new Error(`re-sign-in failed: ${response.body}`);
  sessions[actor].token = cookie.value;
}

function toRequest(operation: Operation, actor: Actor, input: FuzzInput): SentRequest {
  const headers: Record<string, string> = { ...input.headers };
  if (operation.method !== 'GET') headers.origin = ORIGIN;
  if (actor !== 'anonymous') headers.cookie = `mh_session=${sessions[actor].token}`;
  let body: string | Buffer | undefined;
  if (input.body.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(input.body.value);
  } else if (input.body.kind === 'raw') {
    headers['content-type'] = input.body.contentType;
    body = input.body.text;
  }
  return {
    method: operation.method,
    url: urlOf(operation, input),
    headers,
    ...(body !== undefined && { body }),
  };
}

/** Sends one request and returns what is wrong with the answer, or null. */
async function exercise(operation: Operation, actor: Actor, input: FuzzInput): Promise<string | null> {
  const request = toRequest(operation, actor, input);
  const isWrite = operation.method !== 'GET';
  if (isWrite) await fingerprint.before();
  const response = await t.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.body !== undefined && { payload: request.body }),
  });
  const key = `${operation.method} ${operation.path}`;
  count(sentPerOperation, key);
  count(answers, `${Math.floor(response.statusCode / 100)}xx`);
  if (REPORT) count(answersByOperation, `${key} as ${actor}: ${response.statusCode}`);

  const sent = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body?.toString() ?? ''}`;
  const problem =
    responseProblem(response, sent) ??
    (operation.needsSession && actor === 'anonymous' && response.statusCode !== 401
      ? `a signed-in operation answered ${response.statusCode} to an anonymous caller, not 401`
      : null) ??
    (response.statusCode < 300 && !schemas.accepts(operation, input)
      ? `accepted (${response.statusCode}) input the documented schema refuses`
      : null) ??
    (isWrite && response.statusCode >= 400 && (await fingerprint.changed())
      ? `refused with ${response.statusCode} but the database changed`
      : null);

  if (actor !== 'anonymous') {
    const cookie = response.cookies.find((c) => c.name === 'mh_session');
    if (cookie?.value) sessions[actor].token = cookie.value;
    else if (cookie) await signInAgain(actor);
  }
  return (
    problem &&
    `${problem}\nanswer: ${response.statusCode} ${response.body.slice(0, 300)}\nreplay:\n${replay(request)}`
  );
}

beforeAll(async () => {
  t = await createTestApp({
    seed: { users: 8, mentors: 3, courses: 2, lessons: 10, enrollments: 2, bookings: 2 },
    // No background writes: the "nothing written on a refusal" check sees only the request's own. The per-client
    // budgets have their own tests; here every generated request must reach the code it probes, not a 429.
    env: {
      BOOKING_EXPIRY_SWEEP_SECONDS: '0',
      EXPENSIVE_READS_PER_MINUTE: '1000000',
      GRAPHQL_COST_PER_MINUTE: '100000000',
      LOGIN_ATTEMPTS_PER_ADDRESS: '1000000',
      LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: '1000000',
      LOGIN_ATTEMPTS_PER_ACCOUNT: '1000000',
      SIGNUPS_PER_HOUR: '1000000',
      PASSWORD_RESETS_PER_HOUR: '1000000',
    },
  });
  fingerprint = new DatabaseFingerprint(t.database.db as unknown as Kysely<never>);
  operations = await readOperations(t.app);

  const mentee = await signUp(t.app, 'fuzz.mentee@example.com');
  const mentor = await signUpBookableMentor(t.app, 'fuzz.mentor@example.com');
  const admin = await signUp(t.app, 'fuzz.admin@example.com', 'admin');
  sessions.mentee = { email: 'fuzz.mentee@example.com', token: mentee.token };
  sessions.mentor = { email: 'fuzz.mentor@example.com', token: mentor.token };
  sessions.admin = { email: 'fuzz.admin@example.com', token: admin.token };

  const booking = await write(t.app, mentee.token, 'POST', '/api/bookings', {
    mentorId: mentor.mentorId,
    startsAt: hourFromNow(48),
  });
  const course = await write(t.app, mentor.token, 'POST', '/api/courses', {
    title: 'Fuzzed',
    level: 'beginner',
  });
  const courseId = course.json<StudioCourse>().id;
  const lesson = await write(t.app, mentor.token, 'POST', `/api/courses/${courseId}/lessons`, {
    title: 'One',
  });
  expect([booking.statusCode, course.statusCode, lesson.statusCode]).toEqual([201, 201, 201]);
  hints.ids = [
    ...new Set([
      1,
      2,
      mentee.userId,
      mentor.userId,
      mentor.mentorId,
      admin.userId,
      booking.json<Booking>().id,
      courseId,
      lesson.json<Lesson>().id,
    ]),
  ];
});

afterAll(async () => {
  const total = [...sentPerOperation.values()].reduce((sum, n) => sum + n, 0);
  console.log(
    `fuzzer: ${total} requests over ${sentPerOperation.size} operations × ${actors.length} callers ` +
      `(${Math.min(...sentPerOperation.values())}–${Math.max(...sentPerOperation.values())} per operation), ` +
      `seed ${SEED}, ${RUNS} runs each, ${((Date.now() - startedAt) / 1000).toFixed(0)} s; answers: ` +
      [...answers]
        .sort()
        .map(([statusClass, n]) => `${n} × ${statusClass}`)
        .join(', '),
  );
  if (REPORT)
    console.log(
      [...answersByOperation]
        .sort()
        .map(([line, n]) => `${line} × ${n}`)
        .join('\n'),
    );
  await t.close();
});

describe('schema-driven fuzzer: no 5xx, one error shape, no leaks, nothing written on a refusal', () => {
  it('covers every documented operation', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  describe.each(actors)('as %s', (actor) => {
    it('every operation holds up', async () => {
      // Each operation runs to its own verdict, so one failing operation does not hide another.
      const failures: string[] = [];
      for (const operation of operations) {
        try {
          await fc.assert(
            fc.asyncProperty(requestArbitrary(operation, hints), async (input) => {
              const problem = await exercise(operation, actor, input);
              if (problem) throw new Error(`${operation.method} ${operation.path} as ${actor}: ${problem}`);
            }),
            { seed: SEED, numRuns: RUNS, endOnFailure: true },
          );
        } catch (error) {
          failures.push(error instanceof Error ? `${error.message}\n${String(error.cause)}` : String(error));
        }
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    }, 900_000);
  });
});
