import { randomBytes } from 'node:crypto';
import type { MentorDetail, PublicUser } from '@mentorhub/contracts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryLog, withQueryLog } from '../src/infra/db/query-recorder';
import { cachedValue } from '../src/infra/http/cached-reply';
import { mentorRead } from '../src/modules/mentors/mentors.reads';
import { updateProfile } from '../src/modules/users/users.service';
import { eventually, redisUrlForTests } from './helpers/services';
import { TcpProxy } from './helpers/tcp-proxy';
import { createTestApp, serverTiming, type TestApp } from './helpers/test-app';
import { metricTotal } from './helpers/metrics';

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('two API instances on one Redis', () => {
  const prefix = `mhtest:${randomBytes(4).toString('hex')}:`;
  let a: TestApp;
  let b: TestApp;
  let slowLink: TcpProxy;
  beforeAll(async () => {
    // Instance B reaches Redis over a link with 40 ms latency each way, so its invalidation messages arrive
    // well after instance A's write would return if A did not wait for B's acknowledgement.
    slowLink = await TcpProxy.start(redisUrl ?? '');
    a = await createTestApp({ env: { REDIS_URL: redisUrl ?? '', CACHE_PREFIX: prefix } });
    b = await createTestApp({
      database: a.database,
      env: { REDIS_URL: slowLink.urlFor(redisUrl ?? ''), CACHE_PREFIX: prefix },
    });
    await eventually(() => a.app.cache.tiersReady && b.app.cache.tiersReady);
    slowLink.latencyMs = 40;
  });
  afterAll(async () => {
    await a.app.cache.flush();
    await b.close();
    await a.close();
    await slowLink.close();
  });

  it('shares entries: what one instance loaded, the other serves from Redis', async () => {
    const loaded = await a.app.inject('/api/mentors/6');
    expect(serverTiming(loaded).cache).toBe('miss');
    await eventually(async () => serverTiming(await b.app.inject('/api/mentors/6')).cache === 'hit');
    const fromRedis = await b.app.inject('/api/mentors/6');
    expect(fromRedis.body).toBe(loaded.body);
    expect(serverTiming(fromRedis).queries).toBe(0);
  });

  it('parses an entry read from Redis once: later hits on that instance share the value', async () => {
    await a.app.inject('/api/mentors/8');
    const redis = new Redis(redisUrl ?? '');
    try {
      await eventually(async () => (await redis.exists(`${prefix}e:${mentorRead.key(8)}`)) === 1);
    } finally {
      redis.disconnect();
    }
    const onB = { ...b.app.services, chargeExpensiveRead: () => Promise.resolve() };
    const statements = new QueryLog();
    const first = await withQueryLog(statements, () => cachedValue(onB, mentorRead, 8));
    expect(statements.count).toBe(0); // from Redis
    expect(first).toEqual((await a.app.inject('/api/mentors/8')).json());
    expect(await cachedValue(onB, mentorRead, 8)).toBe(first);
  });

  it('never serves stale data on one instance after a write on the other returns', async () => {
    for (let round = 1; round <= 5; round++) {
      // Both instances hold the profile and the mentor page in L1.
      for (const app of [a.app, b.app]) {
        await app.inject('/api/users/7');
        await app.inject('/api/mentors/7');
        expect(serverTiming(await app.inject('/api/users/7')).cache).toBe('hit');
      }
      const name = `Renamed Round${round}`;
      await updateProfile({ db: a.app.db, cache: a.app.cache }, 7, { name });
      expect((await b.app.inject('/api/users/7')).json<PublicUser>().name).toBe(name);
      expect((await b.app.inject('/api/mentors/7')).json<MentorDetail>().user.name).toBe(name);
      expect((await a.app.inject('/api/mentors/7')).json<MentorDetail>().user.name).toBe(name);
    }
  });
});

describe.skipIf(!redisUrl)('Redis outage and slowness', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  const prefix = `mhtest:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    proxy = await TcpProxy.start(redisUrl ?? '');
    t = await createTestApp({
      env: { REDIS_URL: proxy.urlFor(redisUrl ?? ''), CACHE_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '100' },
    });
    await eventually(() => t.app.cache.tiersReady);
  });
  afterAll(async () => {
    await t.app.cache.flush().catch(() => 0);
    await t.close();
    await proxy.close();
  });

  const cacheErrors = () => metricTotal(t.app, 'cache_errors_total');

  it('serves every request from the database while Redis is down, and caches again once it is back', async () => {
    await t.app.inject('/api/mentors/8');
    expect(serverTiming(await t.app.inject('/api/mentors/8')).cache).toBe('hit');

    proxy.cut();
    await eventually(() => !t.app.cache.tiersReady);
    const during = await Promise.all(
      ['/api/mentors/8', '/api/mentors/9', '/api/users/8', '/api/courses?limit=3', '/api/mentors/8'].map(
        (url) => t.app.inject(url),
      ),
    );
    expect(during.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(during.map((response) => serverTiming(response).cache)).toEqual([
      'bypass',
      'bypass',
      'bypass',
      'bypass',
      'bypass',
    ]);
    expect(await cacheErrors()).toBeGreaterThan(0);

    proxy.restore();
    await eventually(() => t.app.cache.tiersReady);
    expect(serverTiming(await t.app.inject('/api/mentors/9')).cache).toBe('miss');
    expect(serverTiming(await t.app.inject('/api/mentors/9')).cache).toBe('hit');
    const direct = new Redis(redisUrl ?? '');
    try {
      await eventually(async () => (await direct.exists(`${prefix}e:mentors:9`)) === 1);
    } finally {
      direct.disconnect();
    }
  });

  it('answers from the database when Redis stops responding: the command timeout ends the wait', async () => {
    const before = await cacheErrors();
    proxy.stall();
    try {
      const response = await t.app.inject('/api/mentors/10');
      expect(response.statusCode).toBe(200);
      expect(response.json<MentorDetail>().id).toBe(10);
      expect(await cacheErrors()).toBeGreaterThan(before);
    } finally {
      // Swallowed commands leave the connection out of step: reconnect from scratch.
      proxy.cut();
      proxy.restore();
    }
    await eventually(() => t.app.cache.tiersReady);
  });
});

describe.skipIf(!redisUrl)('a subscription whose reply never comes', () => {
  it('reconnects and subscribes again, so the cache trusts L1 and live events reach this instance', async () => {
    const prefix = `mhtest:${randomBytes(4).toString('hex')}:`;
    const proxy = await TcpProxy.start(redisUrl ?? '');
    proxy.swallowNext('subscribe');
    const t = await createTestApp({
      seed: false,
      env: { REDIS_URL: proxy.urlFor(redisUrl ?? ''), CACHE_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '100' },
    });
    const direct = new Redis(redisUrl ?? '');
    try {
      await eventually(() => proxy.swallowed === 1);
      await eventually(() => t.app.cache.tiersReady && t.app.live.fannedOut);
      const channels = [`${prefix}invalidate`, `${prefix}live`];
      expect(await direct.pubsub('NUMSUB', ...channels)).toEqual([channels[0], 1, channels[1], 1]);
    } finally {
      direct.disconnect();
      await t.close();
      await proxy.close();
    }
  });
});

describe.skipIf(!redisUrl)('cache flush', () => {
  it('deletes MentorHub keys under its prefix and nothing else', async () => {
    const prefix = `mhtest:${randomBytes(4).toString('hex')}:`;
    const t = await createTestApp({ env: { REDIS_URL: redisUrl ?? '', CACHE_PREFIX: prefix } });
    const direct = new Redis(redisUrl ?? '');
    try {
      await eventually(() => t.app.cache.tiersReady);
      await direct.set('unrelated:key', 'keep me');
      await t.app.inject('/api/mentors/1');
      await t.app.inject('/api/users/1');
      await eventually(async () => (await direct.keys(`${prefix}*`)).length >= 2);
      expect(await t.app.cache.flush()).toBeGreaterThanOrEqual(2);
      expect(await direct.keys(`${prefix}*`)).toEqual([]);
      expect(await direct.get('unrelated:key')).toBe('keep me');
      expect(serverTiming(await t.app.inject('/api/users/1')).cache).toBe('miss');
    } finally {
      await direct.del('unrelated:key');
      direct.disconnect();
      await t.close();
    }
  });
});
