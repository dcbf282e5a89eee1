import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import type { ErrorBody } from '@mentorhub/contracts';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, signIn } from './helpers/accounts';
import { redisUrlForTests } from './helpers/services';
import { metricTotal } from './helpers/metrics';
import {
  createTestApp,
  queryCount,
  serverTiming,
  twoInstancesOnRedis,
  type TestApp,
} from './helpers/test-app';

const PROXY = '10.9.9.9';
const PASSWORD = 'correct horse battery';

let t: TestApp;
/** The same database behind tight per-client budgets, so a few requests reach them. */
let tight: TestApp;
/** The time of `tight`'s clock while a test holds it; the real time otherwise. */
let heldTime: number | undefined;
beforeAll(async () => {
  t = await createTestApp({
    seed: { users: 30, mentors: 5, courses: 5, enrollments: 10, bookings: 10 },
    env: { TRUST_PROXY: PROXY, REQUEST_TIMEOUT_SECONDS: '1', LOGIN_ATTEMPTS_PER_ACCOUNT: '10' },
  });
  tight = await createTestApp({
    database: t.database,
    env: { EXPENSIVE_READS_PER_MINUTE: '5', GRAPHQL_COST_PER_MINUTE: '300' },
    clock: () => heldTime ?? Date.now(),
  });
});
afterAll(async () => {
  await tight.close();
  await t.close();
});

let addressCounter = 1;
/** Each test acts from addresses of its own, so one test's counters never reach another's. */
const freshAddress = () => `198.51.100.${addressCounter++}`;

const graphql = (app: TestApp, query: string, remoteAddress: string, variables?: Record<string, unknown>) =>
  app.app.inject({ method: 'POST', url: '/api/graphql', payload: { query, variables }, remoteAddress });

let queriesMade = 0;
/**
 * A mentor list of one no earlier query asked for (each minimum response rate is a list of its own), so it misses
 * the cache and reaches the database. It costs 100 + (1 + 1) = 102: two fit a budget of 300, a third crosses it.
 */
const uncachedQuery = () => `{ mentors(first: 1, minResponseRate: ${queriesMade++}) { items { id } } }`;

const login = (
  email: string,
  password: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
) => signIn(t.app, { email, password }, remoteAddress, { headers });

async function registerFrom(email: string, remoteAddress: string): Promise<void> {
  const response = await registerAccount(t.app, { email, password: PASSWORD, name: 'Limits' }, remoteAddress);
  expect(response.statusCode, response.body).toBe(201);
}

const expectRateLimited = (response: LightMyRequestResponse) => {
  expect(response.statusCode).toBe(429);
  expect(response.json<ErrorBody>().error.code).toBe('RATE_LIMITED');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
};

describe('GraphQL cost', () => {
  const mentorPage = `query Mentor($id: Int!) {
    mentor(id: $id) {
      headline bio sessionsCompleted languages timezone
      hourlyRate { amountCents currency }
      rating { average count distribution }
      expertise { slug name }
      user { id name avatarUrl }
      reviews(first: 5) { items { rating body createdAt author { name avatarUrl } } nextCursor }
      courses(first: 5) { items { slug title summary level price { amountCents currency } } nextCursor }
    }
  }`;

  it('refuses 217 aliased uncached searches with 400 QUERY_TOO_COSTLY before any statement runs', async () => {
    const aliases = Array.from({ length: 217 }, (_, n) => `s${n}: mentors(q: "x${n}") { items { id } }`);
    const query = `{ ${aliases.join(' ')} }`;
    expect(query.length).toBeLessThan(10_000); // within the size limit: the cost is what refuses it
    const response = await graphql(t, query, freshAddress());
    expect(response.statusCode, response.body).toBe(400);
    const { error } = response.json<ErrorBody>();
    expect(error.code).toBe('QUERY_TOO_COSTLY');
    // Each alias: the search (100) and its page of 20 (the default `first`) items of one field (1 + 1).
    expect(error.details).toEqual([
      { path: 'body.query', message: `costs ${217 * (100 + 20 * 2)}, at most 3000` },
    ]);
    expect(queryCount(response)).toBe(0);
  });

  it('costs a query sent again by the variables it comes with', async () => {
    const aliases = Array.from({ length: 20 }, (_, n) => `m${n}: mentors(first: $first) { items { id } }`);
    const query = `query Lists($first: Int!) { ${aliases.join(' ')} }`;
    const client = freshAddress();
    for (let round = 0; round < 2; round++) {
      // Each alias: the list (100) and its items of one field (1 + 1), once per item asked for.
      const small = await graphql(t, query, client, { first: 1 });
      expect(small.statusCode, small.body).toBe(200);
      const large = await graphql(t, query, client, { first: 50 });
      expect(large.statusCode, large.body).toBe(400);
      expect(large.json<ErrorBody>().error.details).toEqual([
        { path: 'body.query', message: `costs ${20 * (100 + 50 * 2)}, at most 3000` },
      ]);
    }
  });

  it('lets a mentor page query through', async () => {
    const [mentor] = (
      await sql<{ id: number }>`SELECT id FROM mentors WHERE status = 'approved' ORDER BY id LIMIT 1`.execute(
        t.database.db,
      )
    ).rows;
    const response = await graphql(t, mentorPage, freshAddress(), { id: mentor?.id });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ data: { mentor: { headline: string } } }>().data.mentor.headline).toEqual(
      expect.any(String),
    );
  });

  /**
   * Spends the client's budget of 300 with three queries that reach the database, the third crossing it (and still
   * answered); returns them, now cached.
   */
  async function spendBudget(client: string): Promise<string[]> {
    const queries = [uncachedQuery(), uncachedQuery(), uncachedQuery()];
    for (const query of queries) {
      const answered = await graphql(tight, query, client);
      expect(answered.statusCode, answered.body).toBe(200);
      expect(queryCount(answered)).toBeGreaterThan(0);
    }
    return queries;
  }

  it('charges each query that reaches the database to its client: past the budget, 429 with Retry-After and no statement', async () => {
    const client = freshAddress();
    await spendBudget(client);
    const refused = await graphql(tight, uncachedQuery(), client);
    expectRateLimited(refused);
    expect(queryCount(refused)).toBe(0);
    expect((await graphql(tight, uncachedQuery(), freshAddress())).statusCode).toBe(200);
  });

  it('never charges a query answered from the cache, however often it comes', async () => {
    const client = freshAddress();
    const query = uncachedQuery();
    expect(queryCount(await graphql(tight, query, client))).toBeGreaterThan(0);
    // Charged like the first, the third repeat would be refused.
    for (let n = 0; n < 10; n++) {
      const repeat = await graphql(tight, query, client);
      expect(repeat.statusCode, repeat.body).toBe(200);
      expect(queryCount(repeat)).toBe(0);
    }
  });

  it('refuses a client until its Retry-After has passed by the app’s clock', async () => {
    heldTime = Date.now();
    try {
      const client = freshAddress();
      const [cached = ''] = await spendBudget(client);
      // Refused even for a query the cache would answer: the client has spent its budget.
      const refused = await graphql(tight, cached, client);
      expectRateLimited(refused);
      expect(queryCount(refused)).toBe(0);
      const retryAfterMs = Number(refused.headers['retry-after']) * 1000;

      heldTime += retryAfterMs - 1;
      const stillRefused = await graphql(tight, cached, client);
      expectRateLimited(stillRefused);
      expect(stillRefused.headers['retry-after']).toBe('1');
      heldTime += 1;
      const again = await graphql(tight, cached, client);
      expect(again.statusCode, again.body).toBe(200);
      expect(queryCount(again)).toBe(0);
    } finally {
      heldTime = undefined;
    }
  });
});

describe('expensive public reads', () => {
  it('limits uncached free-text searches and availability per client; other reads and other clients go on', async () => {
    const client = freshAddress();
    const get = (url: string, remoteAddress = client) => tight.app.inject({ url, remoteAddress });
    const [mentor] = (
      await sql<{ id: number }>`SELECT id FROM mentors WHERE status = 'approved' ORDER BY id LIMIT 1`.execute(
        t.database.db,
      )
    ).rows;
    const range = `/api/mentors/${mentor?.id}/availability?from=2030-01-07&to=2030-01-13`;
    const reads = [
      '/api/mentors?q=design',
      '/api/courses?q=python',
      range,
      '/api/mentors?q=react',
      '/api/courses?q=sql',
    ];
    for (const url of reads) expect((await get(url)).statusCode, url).toBe(200);
    expectRateLimited(await get('/api/mentors?q=one+more'));
    expectRateLimited(await get(`/api/mentors/${mentor?.id}/availability?from=2030-02-04&to=2030-02-10`));
    expect((await get(range)).statusCode).toBe(200); // answered from the cache
    expect((await get('/api/mentors')).statusCode).toBe(200); // no free text
    expect((await get('/api/mentors?q=design', freshAddress())).statusCode).toBe(200);
  });

  it('charges only misses: searches answered from the cache never use up the budget', async () => {
    const client = freshAddress();
    const get = (url: string) => tight.app.inject({ url, remoteAddress: client });
    const searches = ['budget-a', 'budget-b', 'budget-c', 'budget-d', 'budget-e'].map(
      (word) => `/api/mentors?q=${word}`,
    );
    const first = await get(searches[0] ?? '');
    expect(first.statusCode).toBe(200);
    expect(serverTiming(first).cache).toBe('miss');
    // Far more repeats than the budget of 5: each is a hit, and none is charged.
    for (let n = 0; n < 10; n++) {
      const repeat = await get(searches[0] ?? '');
      expect(repeat.statusCode).toBe(200);
      expect(serverTiming(repeat).cache).toBe('hit');
    }
    for (const url of searches.slice(1)) expect((await get(url)).statusCode, url).toBe(200);
    // The budget is spent by the five misses: one more miss is refused, through either API, running nothing.
    const refused = await get('/api/mentors?q=budget-f');
    expectRateLimited(refused);
    expect(queryCount(refused)).toBe(0);
    expectRateLimited(await graphql(tight, '{ courses(q: "budget-g") { items { id } } }', client));
    expect(serverTiming(await get(searches[2] ?? '')).cache).toBe('hit');
  });
});

describe('login limits behind a trusted proxy', () => {
  it('takes the client address from X-Forwarded-For only when the socket is the trusted proxy', async () => {
    await registerFrom('proxied@example.com', freshAddress());
    const viaProxy = await login('proxied@example.com', PASSWORD, PROXY, {
      'x-forwarded-for': '203.0.113.7',
    });
    const direct = await login('proxied@example.com', PASSWORD, '192.0.2.44', {
      'x-forwarded-for': '203.0.113.8',
    });
    expect([viaProxy.statusCode, direct.statusCode]).toEqual([200, 200]);
    const { rows } = await sql<{ ip: string }>`
      SELECT host(s.ip) AS ip FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE u.email = 'proxied@example.com' ORDER BY s.id`.execute(t.database.db);
    expect(rows.map((row) => row.ip).slice(-2)).toEqual(['203.0.113.7', '192.0.2.44']);
  });

  it('keys the per-address limit on the forwarded client, so one flood behind the proxy blocks only itself', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 31; n++) {
      const response = await login(`nobody${n}@example.com`, 'wrong password', PROXY, {
        'x-forwarded-for': '203.0.113.20',
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([...Array<number>(30).fill(401), 429]);
    const other = await login('nobody@example.com', 'wrong password', PROXY, {
      'x-forwarded-for': '203.0.113.21',
    });
    expect(other.statusCode).toBe(401);
  });

  it('under guesses from many addresses, the account takes sign-ins only from addresses it knows', async () => {
    const home = freshAddress();
    await registerFrom('targeted@example.com', home);
    for (let n = 0; n < 10; n++)
      expect((await login('targeted@example.com', 'wrong password', freshAddress())).statusCode).toBe(401);
    expectRateLimited(await login('targeted@example.com', PASSWORD, freshAddress()));
    expect((await login('targeted@example.com', PASSWORD, home)).statusCode).toBe(200);
  });
});

describe('slow request bodies', () => {
  it('answers 408 and closes a connection whose body trickles past REQUEST_TIMEOUT_SECONDS', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined); // the server may reset the connection while a byte is under way
    socket.write(
      'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{',
    );
    // One byte every 100 ms: the body would take 100 s to arrive.
    const trickle = setInterval(() => socket.write(' '), 100);
    await once(socket, 'close');
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time', details: [] },
    });
  });
});

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('limits shared by two instances on one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let instances: Awaited<ReturnType<typeof twoInstancesOnRedis>>;
  beforeAll(async () => {
    instances = await twoInstancesOnRedis(redisUrl ?? '', {
      database: t.database,
      env: { GRAPHQL_COST_PER_MINUTE: '300' },
    });
    ({ a, b } = instances);
  });
  afterAll(() => instances.close());

  it('checks 5 of 25 concurrent wrong passwords spread over both instances', async () => {
    await registerFrom('shared@example.com', freshAddress());
    const attacker = freshAddress();
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, n) =>
        signIn((n % 2 ? a : b).app, { email: 'shared@example.com', password: 'wrong password' }, attacker),
      ),
    );
    const checked = responses.filter((r) => r.statusCode === 401).length;
    expect(checked + responses.filter((r) => r.statusCode === 429).length).toBe(25);
    // Exactly 5 whenever Redis answered; a command that timed out is decided in process (and counted), which can
    // move the total by at most one per such decision.
    const decidedLocally =
      (await metricTotal(a.app, 'rate_limit_local_decisions_total')) +
      (await metricTotal(b.app, 'rate_limit_local_decisions_total'));
    expect(Math.abs(checked - 5)).toBeLessThanOrEqual(decidedLocally);
  });

  it('charges GraphQL cost to one budget per client, and each instance refuses once its own charge finds it spent', async () => {
    const client = freshAddress();
    const answer = async (instance: TestApp) => {
      const response = await graphql(instance, uncachedQuery(), client);
      expect(response.statusCode, response.body).toBe(200);
      expect(queryCount(response)).toBeGreaterThan(0);
    };
    await answer(a);
    await answer(a);
    await answer(b); // crosses the budget both share, and is answered
    const refusedByB = await graphql(b, uncachedQuery(), client);
    expectRateLimited(refusedByB);
    expect(queryCount(refusedByB)).toBe(0);
    // `a` has not charged past the budget yet: its next query runs, and its charge teaches it the refusal.
    await answer(a);
    expectRateLimited(await graphql(a, uncachedQuery(), client));
  });
});
